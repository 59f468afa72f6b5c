package io.pulse.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventType;
import io.pulse.shared.validation.RejectReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIntakeTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-03T12:00:00Z");
    private static final RequestInfo REQUEST = new RequestInfo("p1", RECEIVED, "81.2.69.142", "GB", null, null);

    private static JsonNode json(String text) throws Exception {
        return EventJson.MAPPER.readTree(text);
    }

    @Test
    void clientClockSkewIsCorrectedAndTheOriginalKept() throws Exception {
        // The client's clock is 1 h fast: it says the event happened 5 s before it sent the request.
        Intake intake = EventIntake.take(json("""
                {"userId":"u1","event":"Played","timestamp":"2026-12-03T12:59:55Z","sentAt":"2026-12-03T13:00:00Z"}
                """), EventType.TRACK, REQUEST);
        var event = ((Intake.Accepted) intake).event();
        assertThat(event.timestamp()).isEqualTo(RECEIVED.minusSeconds(5));
        assertThat(event.originalTimestamp()).isEqualTo(Instant.parse("2026-12-03T12:59:55Z"));
        assertThat(event.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void withoutTimestampTheEventHappenedWhenReceived() throws Exception {
        var event = ((Intake.Accepted) EventIntake.take(json("{\"userId\":\"u1\",\"event\":\"E\"}"),
                EventType.TRACK, REQUEST)).event();
        assertThat(event.timestamp()).isEqualTo(RECEIVED);
        assertThat(event.originalTimestamp()).isNull();
    }

    @Test
    void serverStampsProjectIpCountryAndAUuid7() throws Exception {
        var event = ((Intake.Accepted) EventIntake.take(json(
                "{\"userId\":\"u1\",\"event\":\"E\",\"projectId\":\"someone-elses\"}"), EventType.TRACK, REQUEST))
                .event();
        assertThat(event.projectId()).isEqualTo("p1"); // the key decides the project, never the body
        assertThat(event.context().ip()).isEqualTo("81.2.69.142");
        assertThat(event.context().edgeCountry()).isEqualTo("GB");
        assertThat(UUID.fromString(event.messageId()).version()).isEqualTo(7);
        assertThat(event.key()).isEqualTo("p1:u1");
    }

    @Test
    void batchContextFillsWhatTheItemLeavesOut() throws Exception {
        ObjectNode batchContext = (ObjectNode) json("{\"locale\":\"fr-FR\",\"userAgent\":\"batch-ua\"}");
        RequestInfo request = new RequestInfo("p1", RECEIVED, "10.1.1.1", null, batchContext, null);
        var event = ((Intake.Accepted) EventIntake.take(json(
                "{\"type\":\"page\",\"anonymousId\":\"a1\",\"context\":{\"userAgent\":\"own-ua\"}}"), null, request))
                .event();
        assertThat(event.type()).isEqualTo(EventType.PAGE);
        assertThat(event.context().userAgent()).isEqualTo("own-ua");
        assertThat(event.context().locale()).isEqualTo("fr-FR");
    }

    @Test
    void wrongTypesNameTheField() throws Exception {
        var rejected = (Intake.Rejected) EventIntake.take(json(
                "{\"userId\":\"u1\",\"event\":\"E\",\"properties\":\"not an object\"}"), EventType.TRACK, REQUEST);
        assertThat(rejected.violation().field()).isEqualTo("properties");
        assertThat(rejected.violation().reason()).isEqualTo(RejectReason.WRONG_FIELD_TYPE);

        var badTime = (Intake.Rejected) EventIntake.take(json(
                "{\"userId\":\"u1\",\"event\":\"E\",\"timestamp\":\"yesterday\"}"), EventType.TRACK, REQUEST);
        assertThat(badTime.violation().reason()).isEqualTo(RejectReason.INVALID_TIMESTAMP);
        assertThat(badTime.violation().field()).isEqualTo("timestamp");
    }

    @Test
    void batchItemsNeedATypeAndMustBeObjects() throws Exception {
        assertThat(((Intake.Rejected) EventIntake.take(json("{\"userId\":\"u1\"}"), null, REQUEST))
                .violation().reason()).isEqualTo(RejectReason.INVALID_TYPE);
        assertThat(((Intake.Rejected) EventIntake.take(json("\"text\""), null, REQUEST))
                .violation().reason()).isEqualTo(RejectReason.NOT_AN_OBJECT);
        assertThat(((Intake.Rejected) EventIntake.take(json("{\"type\":\"purchase\",\"userId\":\"u\"}"), null,
                REQUEST)).violation().field()).isEqualTo("type");
    }
}
