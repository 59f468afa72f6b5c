package io.pulse.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Enriched records on the real topic in, rows and rollups in the real PostgreSQL out. */
@QuarkusTest
class EnrichedEventConsumerTest {

    private final String project = "a-" + UUID.randomUUID().toString().substring(0, 12);
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    private EnrichedEvent event(String person, String name, boolean bot, int second) {
        Instant time = minute.plusSeconds(second % 60);
        RawEvent raw = new RawEvent(1, EventType.TRACK, UUID.randomUUID().toString(), project, person, null, name,
                null, null, null, null, null, null, time, time, time, Instant.now());
        return new EnrichedEvent(raw, new Enrichment(person, null, false, bot, null, null, null, null));
    }

    private static List<Map.Entry<String, byte[]>> records(List<EnrichedEvent> events) {
        return events.stream().map(e -> Map.entry(e.key(), EventJson.toBytes(e))).toList();
    }

    private long stored(String name) {
        return TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ? AND event_name = ?",
                project, name);
    }

    private long rolledUp(String name) {
        return TestDatabase.queryLong(
                "SELECT coalesce(sum(events), 0) FROM rollup_event_minute WHERE project_id = ? AND event_name = ?",
                project, name);
    }

    @Test
    void eventsAreStoredAndRolledUpOnce() {
        List<EnrichedEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event("p" + (i % 40), "Viewed", false, i));
        }
        TestKafka.send(Topics.ENRICHED, records(events));

        await().atMost(Duration.ofSeconds(20)).until(() -> rolledUp("Viewed") == 200);
        assertThat(stored("Viewed")).isEqualTo(200);
        long persons = TestDatabase.queryLong("""
                SELECT round(hll_cardinality(hll_union_agg(persons)))::bigint FROM rollup_event_minute
                 WHERE project_id = ? AND event_name = 'Viewed'""", project);
        assertThat(persons).isEqualTo(40);
    }

    @Test
    void aReplayedRecordChangesNothing() throws InterruptedException {
        List<EnrichedEvent> events = List.of(event("u1", "Bought", false, 1), event("u2", "Bought", false, 2));
        TestKafka.send(Topics.ENRICHED, records(events));
        await().atMost(Duration.ofSeconds(20)).until(() -> rolledUp("Bought") == 2);

        // The same enriched records again, as new Kafka records: what an enricher replay after a crash produces.
        TestKafka.send(Topics.ENRICHED, records(events));
        List<EnrichedEvent> marker = List.of(event("u3", "Marker", false, 3));
        TestKafka.send(Topics.ENRICHED, records(marker)); // same topic, after the replay: once it is in, so is the replay
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("Marker") == 1);
        Thread.sleep(500);
        assertThat(stored("Bought")).isEqualTo(2);
        assertThat(rolledUp("Bought")).isEqualTo(2);
    }

    @Test
    void botsAreStoredButKeptOutOfTheCounts() {
        TestKafka.send(Topics.ENRICHED, records(List.of(
                event("human", "Visited", false, 1), event("crawler", "Visited", true, 2))));
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("Visited") == 2);
        assertThat(rolledUp("Visited")).isEqualTo(1);
        assertThat(TestDatabase.queryLong(
                "SELECT sum(bot_events) FROM rollup_event_minute WHERE project_id = ? AND event_name = 'Visited'",
                project)).isEqualTo(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheRecordsAfterItAreStored() {
        TestKafka.Mark dlq = TestKafka.mark(Topics.DLQ);
        EnrichedEvent good = event("dora", "AfterPoison", false, 5);
        String poison = "{\"event\": {\"projectId\":\"" + project + "\"}, broken";
        TestKafka.send(Topics.ENRICHED, List.of(
                Map.entry(good.key(), poison.getBytes(StandardCharsets.UTF_8)),
                Map.entry(good.key(), EventJson.toBytes(good))));

        await().atMost(Duration.ofSeconds(20)).until(() -> stored("AfterPoison") == 1);
        assertThat(TestKafka.read(dlq, r -> r.value().contains(project) && r.value().contains("group pulse-aggregator-test"), 1,
                Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    void theOffsetAfterTheLastRecordIsStoredWithTheData() {
        var written = TestKafka.send(Topics.ENRICHED, records(List.of(event("eve", "Offsets", false, 1)))).get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("Offsets") == 1);
        assertThat(TestDatabase.queryLong("""
                SELECT next_offset FROM consumer_offsets
                 WHERE consumer_group = 'pulse-aggregator-test' AND topic = 'pulse.events.enriched' AND partition = ?""",
                written.partition())).isEqualTo(written.offset() + 1);
    }
}
