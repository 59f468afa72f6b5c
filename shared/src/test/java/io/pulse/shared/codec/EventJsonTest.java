package io.pulse.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.shared.TestEvents;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void rawEventSurvivesTheKafkaSerdeUnchanged() {
        RawEvent event = TestEvents.track("u1", "Signed Up");
        byte[] bytes = new RawEventSerializer().serialize("t", event);
        assertThat(new RawEventDeserializer().deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void wireFormIsSegmentShaped() {
        String json = new String(EventJson.toBytes(TestEvents.track("u1", "Signed Up")), StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"type\":\"track\"")
                .contains("\"timestamp\":\"2026-12-03T12:00:00Z\"")
                .contains("\"properties\":{\"plan\":\"pro\",\"price\":9.5}")
                .doesNotContain("anonymousId"); // nulls are left out
    }

    @Test
    void enrichedEventKeepsTheRawKey() {
        RawEvent raw = TestEvents.track("u9", "Viewed");
        EnrichedEvent enriched = new EnrichedEvent(raw, Enrichment.identityOnly("u9"));
        byte[] bytes = new EnrichedEventSerializer().serialize("t", enriched);
        EnrichedEvent back = new EnrichedEventDeserializer().deserialize("t", bytes);
        assertThat(back).isEqualTo(enriched);
        assertThat(back.key()).isEqualTo("p1:u9");
    }

    @Test
    void unknownFieldsFromNewerProducersAreIgnored() {
        String json = "{\"version\":1,\"type\":\"page\",\"projectId\":\"p\",\"userId\":\"u\",\"futureField\":[1]}";
        RawEvent event = EventJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), RawEvent.class);
        assertThat(event.type()).isEqualTo(EventType.PAGE);
    }

    @Test
    void trailingGarbageIsNotJson() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventJson.MAPPER.readTree("{\"a\":1}}"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }

    @Test
    void garbageIsASerializationExceptionNotACrash() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new RawEventDeserializer().deserialize("pulse.events.raw", garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("pulse.events.raw");
    }
}
