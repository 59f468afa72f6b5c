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

    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private RawEvent event(String userId, String messageId, int seq) {
        Instant now = Instant.now();
        EventContext context = new EventContext("81.2.69.142", "Mozilla/5.0", null, null, null, null, null);
        return new RawEvent(1, EventType.TRACK, messageId, project, userId, null, "Step", null, null, null,
                JsonNodeFactory.instance.objectNode().put("seq", seq), null, context, now, now, now, now);
    }

    private RawEvent event(EventType type, String userId, String anonymousId, Instant time, String userAgent,
            String edgeCountry) {
        EventContext context = new EventContext("81.2.69.142", userAgent, null, null, null, null, edgeCountry);
        return new RawEvent(1, type, UUID.randomUUID().toString(), project, userId, anonymousId,
                type == EventType.TRACK ? "Step" : null, null, null, null, null, null, context, time, time, time,
                time);
    }

    private static JsonNode enrichment(ConsumerRecord<String, String> record) {
        return json(record).path("enrichment");
    }

    /** Enriched records of this test's events, in the order the given messageIds were sent. */
    private List<JsonNode> enrichmentsOf(TestKafka.Mark mark, List<RawEvent> sent) {
        List<ConsumerRecord<String, String>> out = own(mark, sent.size(), Duration.ofSeconds(20));
        assertThat(out).hasSize(sent.size());
        Map<String, JsonNode> byMessageId = new java.util.HashMap<>();
        out.forEach(r -> byMessageId.put(json(r).path("event").path("messageId").asText(), enrichment(r)));
        return sent.stream().map(e -> byMessageId.get(e.messageId())).toList();
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

    @Test
    void botsAreFlaggedAndStillFlow() {
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        Instant now = Instant.now();
        List<RawEvent> sent = List.of(event(EventType.PAGE, null, "crawler", now, GOOGLEBOT, null),
                event(EventType.PAGE, null, "visitor", now, CHROME, null));
        TestKafka.send(Topics.RAW, sent.stream().map(RawEventProcessorTest::record).toList());

        List<JsonNode> out = enrichmentsOf(mark, sent);
        assertThat(out.get(0).path("bot").asBoolean()).isTrue();
        assertThat(out.get(1).path("bot").asBoolean()).isFalse();
        assertThat(out.get(1).path("device").path("browser").asText()).isEqualTo("Chrome");
        assertThat(out.get(1).path("device").path("deviceClass").asText()).isEqualTo("Desktop");
    }

    @Test
    void theEdgeCountryIsTheGeography() {
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        List<RawEvent> sent = List.of(event(EventType.TRACK, "sven", null, Instant.now(), CHROME, "SE"));
        TestKafka.send(Topics.RAW, sent.stream().map(RawEventProcessorTest::record).toList());

        assertThat(enrichmentsOf(mark, sent).get(0).path("geo").path("country").asText()).isEqualTo("SE");
    }

    @Test
    void aSessionEndsAfterThirtyMinutesWithoutEventsAcrossBatches() {
        Instant t0 = Instant.now().minus(Duration.ofHours(2));
        List<RawEvent> first = List.of(event(EventType.PAGE, "sam", null, t0, CHROME, null),
                event(EventType.TRACK, "sam", null, t0.plus(Duration.ofMinutes(1)), CHROME, null));
        // the second batch continues from what the first one saved in Redis
        List<RawEvent> second = List.of(event(EventType.TRACK, "sam", null, t0.plus(Duration.ofMinutes(2)), CHROME, null),
                event(EventType.PAGE, "sam", null, t0.plus(Duration.ofMinutes(33)), CHROME, null));

        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        TestKafka.send(Topics.RAW, first.stream().map(RawEventProcessorTest::record).toList());
        List<JsonNode> out = new ArrayList<>(enrichmentsOf(mark, first));
        TestKafka.Mark secondMark = TestKafka.mark(Topics.ENRICHED);
        TestKafka.send(Topics.RAW, second.stream().map(RawEventProcessorTest::record).toList());
        out.addAll(enrichmentsOf(secondMark, second));

        assertThat(out).extracting(e -> e.path("sessionStart").asBoolean()).containsExactly(true, false, false, true);
        String session = out.get(0).path("sessionId").asText();
        assertThat(session).isNotBlank();
        assertThat(out.get(1).path("sessionId").asText()).isEqualTo(session);
        assertThat(out.get(2).path("sessionId").asText()).isEqualTo(session);
        assertThat(out.get(3).path("sessionId").asText()).isNotBlank().isNotEqualTo(session);
    }

    @Test
    void anAnonymousVisitorWhoIdentifiesIsOnePersonFromThenOn() {
        Instant now = Instant.now();
        List<RawEvent> before = List.of(event(EventType.PAGE, null, "anon-7", now, CHROME, null));
        List<RawEvent> identify = List.of(event(EventType.IDENTIFY, "grace", "anon-7", now.plusSeconds(1), CHROME, null));
        List<RawEvent> after = List.of(event(EventType.PAGE, null, "anon-7", now.plusSeconds(2), CHROME, null),
                event(EventType.TRACK, "grace", "anon-7", now.plusSeconds(3), CHROME, null));

        List<JsonNode> out = new ArrayList<>();
        for (List<RawEvent> step : List.of(before, identify, after)) {
            TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
            TestKafka.send(Topics.RAW, step.stream().map(RawEventProcessorTest::record).toList());
            out.addAll(enrichmentsOf(mark, step));
        }

        assertThat(out).extracting(e -> e.path("personId").asText()).containsExactly("anon-7", "grace", "grace",
                "grace");
    }

    @Test
    void aFullBatchOfDistinctPersonsGoesThroughRedisInPipelines() {
        // 2,000 persons: one Redis command each, concurrently, would overflow the client's pool (wait queue 24)
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        Instant now = Instant.now();
        List<RawEvent> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sent.add(event(EventType.PAGE, null, "visitor-" + i, now, CHROME, null));
        }
        TestKafka.send(Topics.RAW, sent.stream().map(RawEventProcessorTest::record).toList());

        List<ConsumerRecord<String, String>> out = own(mark, 2000, Duration.ofSeconds(60));
        assertThat(out).hasSize(2000);
        assertThat(out).allMatch(r -> enrichment(r).path("sessionStart").asBoolean()
                && !enrichment(r).path("sessionId").asText().isEmpty());
    }

    @Test
    void anEventThatCannotBeEnrichedIsDeadLetteredAndTheNextOneFlows() {
        TestKafka.Mark enrichedMark = TestKafka.mark(Topics.ENRICHED);
        TestKafka.Mark dlqMark = TestKafka.mark(Topics.DLQ);
        RawEvent nobody = event(EventType.TRACK, null, " ", Instant.now(), CHROME, null); // no usable id
        RawEvent good = event(EventType.TRACK, null, "anon-9", Instant.now(), CHROME, null);
        TestKafka.send(Topics.RAW, List.of(record(nobody), record(good)));

        assertThat(enrichmentsOf(enrichedMark, List.of(good)).get(0).path("personId").asText()).isEqualTo("anon-9");
        List<ConsumerRecord<String, String>> letters = TestKafka.read(dlqMark,
                r -> r.value().contains(nobody.messageId()), 1, Duration.ofSeconds(10));
        assertThat(letters).hasSize(1);
        assertThat(json(letters.get(0)).path("reason").asText()).isEqualTo("enrichment_failure");
    }
}
