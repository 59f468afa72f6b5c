package io.pulse.enricher.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.testing.TestKafka;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The packaged enricher (the JVM jar in bin/pulse test, the native binary in the native workflow) between the real
 * topics: the contract JSON both ways, Yauaa's rules (class path resources) and its caches, dead letters.
 */
@QuarkusIntegrationTest
class RawEventProcessorIT {

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    private final String project = "ei-" + UUID.randomUUID().toString().substring(0, 12);

    private List<ConsumerRecord<String, String>> readOwn(TestKafka.Mark mark) {
        return TestKafka.read(mark, r -> r.value().contains(project), 1, Duration.ofSeconds(30));
    }

    private static JsonNode json(ConsumerRecord<String, String> record) throws IOException {
        return EventJson.MAPPER.readTree(record.value());
    }

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void anEventIsEnrichedWithItsDeviceAndAnAnonymizedIp() throws IOException {
        Instant now = Instant.now();
        EventContext context = new EventContext("81.2.69.142", CHROME, null, null, null, null, "se");
        RawEvent raw = new RawEvent(1, EventType.TRACK, UUID.randomUUID().toString(), project, "ada", null,
                "Signed Up", null, null, null, null, null, context, now, now, now, now);
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        TestKafka.send(Topics.RAW, List.of(Map.entry(raw.key(), EventJson.toBytes(raw))));

        List<ConsumerRecord<String, String>> out = readOwn(mark);
        assertThat(out).hasSize(1);
        JsonNode enriched = json(out.get(0));
        assertThat(enriched.path("event").path("messageId").asText()).isEqualTo(raw.messageId());
        assertThat(enriched.path("event").path("context").path("ip").asText()).isEqualTo("81.2.69.0");
        JsonNode enrichment = enriched.path("enrichment");
        assertThat(enrichment.path("personId").asText()).isEqualTo("ada");
        assertThat(enrichment.path("device").path("browser").asText()).isEqualTo("Chrome");
        assertThat(enrichment.path("device").path("os").asText()).isEqualTo("Windows NT");
        assertThat(enrichment.path("geo").path("country").asText()).isEqualTo("SE");
    }

    @Test
    void aRecordThatIsNotAnEventIsDeadLettered() throws IOException {
        TestKafka.Mark dlq = TestKafka.mark(Topics.DLQ);
        byte[] poison = ("{\"type\":\"track\",\"projectId\":\"" + project + "\", this is not json")
                .getBytes(StandardCharsets.UTF_8);
        TestKafka.send(Topics.RAW, List.of(Map.entry(project + ":x", poison)));

        List<ConsumerRecord<String, String>> letters = readOwn(dlq);
        assertThat(letters).hasSize(1);
        assertThat(json(letters.get(0)).path("reason").asText()).isEqualTo("schema_violation");
        assertThat(json(letters.get(0)).path("stage").asText()).isEqualTo("enricher");
    }
}
