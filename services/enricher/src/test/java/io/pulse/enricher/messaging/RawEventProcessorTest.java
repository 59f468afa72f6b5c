package io.pulse.enricher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.testing.TestKafka;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The enricher between two real topics: raw records in, enriched (or dead letters) out. */
@QuarkusTest
class RawEventProcessorTest {

    private final String project = "e-" + UUID.randomUUID().toString().substring(0, 12);

    private RawEvent event(String userId, String messageId, int seq) {
        Instant now = Instant.now();
        EventContext context = new EventContext("81.2.69.142", "Mozilla/5.0", null, null, null, null, null);
        return new RawEvent(1, EventType.TRACK, messageId, project, userId, null, "Step", null, null, null,
                JsonNodeFactory.instance.objectNode().put("seq", seq), null, context, now, now, now, now);
    }

    private static Map.Entry<String, byte[]> record(RawEvent event) {
        return Map.entry(event.key(), EventJson.toBytes(event));
    }

    private List<ConsumerRecord<String, String>> own(TestKafka.Mark mark, int expected, Duration timeout) {
        return TestKafka.read(mark, r -> r.value().contains("\"" + project + "\""), expected, timeout);
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return EventJson.MAPPER.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEventIsEnrichedUnderTheSameKeyWithItsIpAnonymized() {
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        RawEvent raw = event("ada", UUID.randomUUID().toString(), 0);
        TestKafka.send(Topics.RAW, List.of(record(raw)));

        List<ConsumerRecord<String, String>> out = own(mark, 1, Duration.ofSeconds(20));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(project + ":ada");
        JsonNode enriched = json(out.get(0));
        assertThat(enriched.path("event").path("messageId").asText()).isEqualTo(raw.messageId());
        assertThat(enriched.path("event").path("context").path("ip").asText()).isEqualTo("81.2.69.0");
        assertThat(out.get(0).value()).doesNotContain("81.2.69.142");
        assertThat(enriched.path("enrichment").path("personId").asText()).isEqualTo("ada");
    }

    @Test
    void aClientRetryWithTheSameMessageIdIsDropped() {
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        String messageId = UUID.randomUUID().toString();
        TestKafka.send(Topics.RAW, List.of(record(event("bob", messageId, 1))));
        TestKafka.send(Topics.RAW, List.of(record(event("bob", messageId, 1)))); // the retry: a second record

        assertThat(own(mark, 1, Duration.ofSeconds(20))).hasSize(1);
        // and nothing more arrives afterwards
        assertThat(TestKafka.readAll(mark, r -> r.value().contains("\"" + project + "\""), Duration.ofSeconds(3)))
                .hasSize(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheRecordsAfterItFlow() {
        TestKafka.Mark enrichedMark = TestKafka.mark(Topics.ENRICHED);
        TestKafka.Mark dlqMark = TestKafka.mark(Topics.DLQ);
        String key = project + ":carol"; // same key: same partition, so the good records come after the poison
        String poison = "{\"type\":\"track\",\"projectId\":\"" + project + "\", this is not json";
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        records.add(Map.entry(key, poison.getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 5; i++) {
            records.add(record(event("carol", UUID.randomUUID().toString(), i)));
        }
        TestKafka.send(Topics.RAW, records);

        assertThat(own(enrichedMark, 5, Duration.ofSeconds(20))).hasSize(5);
        List<ConsumerRecord<String, String>> letters = TestKafka.read(dlqMark,
                r -> r.value().contains("this is not json") && r.value().contains(project)
                        && r.value().contains("group pulse-enricher-test"), 1, Duration.ofSeconds(10));
        assertThat(letters).hasSize(1);
        assertThat(json(letters.get(0)).path("reason").asText()).isEqualTo("schema_violation");
        assertThat(json(letters.get(0)).path("stage").asText()).isEqualTo("enricher");
    }

    @Test
    void oneBusyUsersOrderIsKeptAmongMany() {
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(record(event("busy", UUID.randomUUID().toString(), i)));
            records.add(record(event("other-" + (i % 17), UUID.randomUUID().toString(), i)));
        }
        TestKafka.send(Topics.RAW, records);

        List<ConsumerRecord<String, String>> out = own(mark, 1000, Duration.ofSeconds(30));
        assertThat(out).hasSize(1000);
        List<Integer> busy = out.stream().filter(r -> r.key().endsWith(":busy"))
                .map(r -> json(r).path("event").path("properties").path("seq").asInt()).toList();
        assertThat(busy).hasSize(500).isSorted().doesNotHaveDuplicates();
    }
}
