package io.pulse.aggregator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 100,000 persons through the real pipeline stage: unique persons from the HyperLogLog rollups stay within 2% of
 * the exact count (from the stored events) over minute, hour and day ranges.
 */
@QuarkusTest
class UniquePersonsAccuracyTest {

    private static final int PERSONS = 100_000;

    @Test
    void uniquesAreWithinTwoPercentAcrossMinuteHourAndDay() {
        String project = "u-" + UUID.randomUUID().toString().substring(0, 12);
        Instant dayStart = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        SplittableRandom random = new SplittableRandom(7);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>(PERSONS + PERSONS / 2);
        for (int i = 0; i < PERSONS + PERSONS / 2; i++) {
            // every person once, half of them twice: uniques must not count repeats
            int person = i < PERSONS ? i : random.nextInt(PERSONS);
            Instant time = dayStart.plusSeconds(random.nextInt(86_400));
            RawEvent raw = new RawEvent(1, EventType.TRACK, UUID.randomUUID().toString(), project, "p" + person, null,
                    "Visited", null, null, null, null, null, null, time, time, time, Instant.now());
            EnrichedEvent e = new EnrichedEvent(raw, Enrichment.identityOnly("p" + person));
            records.add(Map.entry(e.key(), EventJson.toBytes(e)));
        }
        TestKafka.send(Topics.ENRICHED, records);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> TestDatabase.queryLong(
                "SELECT coalesce(sum(events), 0) FROM rollup_event_minute WHERE project_id = ?", project)
                == records.size());

        Instant noon = dayStart.plus(12, ChronoUnit.HOURS);
        assertClose(project, dayStart, dayStart.plus(1, ChronoUnit.DAYS), "day", "minute");
        assertClose(project, dayStart, dayStart.plus(1, ChronoUnit.DAYS), "day", "hour");
        assertClose(project, noon, noon.plus(1, ChronoUnit.HOURS), "hour", "minute");
        assertClose(project, noon, noon.plus(1, ChronoUnit.HOURS), "hour", "hour");
        assertClose(project, noon, noon.plus(1, ChronoUnit.MINUTES), "minute", "minute");
        assertThat(TestDatabase.queryLong("SELECT sum(events) FROM rollup_event_hour WHERE project_id = ?", project))
                .as("hour rollups count what the minutes count").isEqualTo(records.size());
        // The sketches are built from hashes computed in Java (PersonHash): they must be the very sketch SQL builds
        // from the stored events, or merging them with sketches built elsewhere would count a person twice.
        assertThat(TestDatabase.queryLong("""
                SELECT count(*) FROM rollup_event_day r
                 WHERE r.project_id = ? AND r.persons <> (
                       SELECT hll_add_agg(hll_hash_text(e.person_id), 14) FROM events e
                        WHERE e.project_id = r.project_id AND e.event_name = r.event_name
                          AND e.event_time >= r.day AND e.event_time < r.day + interval '1 day')
                """, project)).as("day sketches that differ from the one SQL builds from the events").isZero();
    }

    /** @param rollup which rollups answer: minute or hour */
    private static void assertClose(String project, Instant from, Instant to, String range, String rollup) {
        String window = "project_id = ? AND %s >= ?::timestamptz AND %s < ?::timestamptz";
        long exact = TestDatabase.queryLong("SELECT count(DISTINCT person_id) FROM events WHERE "
                + window.formatted("event_time", "event_time"), project, from.toString(), to.toString());
        long estimate = TestDatabase.queryLong("SELECT round(hll_cardinality(hll_union_agg(persons)))::bigint "
                + "FROM rollup_event_" + rollup + " WHERE " + window.formatted(rollup, rollup),
                project, from.toString(), to.toString());
        System.out.printf("uniques over a %s from %s rollups: exact %d, HyperLogLog %d (%.2f%%)%n", range, rollup,
                exact, estimate, 100.0 * (estimate - exact) / exact);
        assertThat(exact).isPositive();
        assertThat((double) estimate).as("unique persons over a %s", range).isCloseTo(exact, within(exact * 0.02));
    }
}
