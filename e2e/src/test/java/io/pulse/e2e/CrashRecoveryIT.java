package io.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.testing.ServiceProcess;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Break a stage in the middle of a stream and count what arrived: every event stored exactly once, and the
 * rollups agree with the stored events. Packaged services as processes, real Kafka, PostgreSQL and Redis.
 */
class CrashRecoveryIT {

    private static final int EVENTS = 100_000;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final String project = "crash-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (ServiceProcess process : started) {
            process.close();
        }
    }

    private ServiceProcess start(String service) throws Exception {
        ServiceProcess process = ServiceProcess.start(service);
        started.add(process);
        process.awaitReady(Duration.ofSeconds(60));
        return process;
    }

    private long stored() {
        return TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ?", project);
    }

    private void awaitStored(long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stored() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Exactly once: every event stored, none twice, and the rollups count exactly the stored events. */
    private void assertExactlyOnce(int expected) throws InterruptedException {
        awaitStored(expected, Duration.ofSeconds(180));
        Thread.sleep(1_000); // anything late and duplicate would show now
        assertThat(stored()).as("events stored").isEqualTo(expected);
        assertThat(TestDatabase.queryLong("SELECT count(DISTINCT message_id) FROM events WHERE project_id = ?",
                project)).as("distinct events").isEqualTo(expected);
        assertThat(TestDatabase.queryLong(
                "SELECT coalesce(sum(events + bot_events), 0) FROM rollup_event_minute WHERE project_id = ?",
                project)).as("events in the rollups").isEqualTo(expected);
    }

    private List<Map.Entry<String, byte[]>> enrichedEvents(int count) {
        SplittableRandom random = new SplittableRandom(11);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String person = "p" + random.nextInt(5_000);
            Instant time = now.minusSeconds(random.nextInt(3_600));
            RawEvent raw = track(person, "Crash " + (i % 5), null, time, now);
            EnrichedEvent e = new EnrichedEvent(raw, Enrichment.identityOnly(person));
            records.add(Map.entry(e.key(), EventJson.toBytes(e)));
        }
        return records;
    }

    /** A track event of this test's project with a fresh messageId, sent at its own time; context may be null. */
    private RawEvent track(String person, String name, EventContext context, Instant time, Instant receivedAt) {
        return new RawEvent(1, EventType.TRACK, UUID.randomUUID().toString(), project, person, null, name, null,
                null, null, null, null, context, time, time, time, receivedAt);
    }

    @Test
    void aggregatorKilledMidStreamStoresEveryEventExactlyOnce() throws Exception {
        ServiceProcess aggregator = start("aggregator");
        TestKafka.send(Topics.ENRICHED, enrichedEvents(EVENTS));
        awaitStored(EVENTS / 4, Duration.ofSeconds(60));
        aggregator.kill();
        long atKill = stored();
        System.out.printf("crash: aggregator killed with %d of %d stored%n", atKill, EVENTS);
        assertThat(atKill).as("killed mid-stream").isLessThan(EVENTS);

        start("aggregator");
        assertExactlyOnce(EVENTS);
    }

    @Test
    void postgresRestartedMidStreamLosesAndDoublesNothing() throws Exception {
        Path clusters = Path.of("/etc/postgresql");
        assumeThat(Files.isDirectory(clusters)).as("a Debian PostgreSQL cluster this test may restart").isTrue();
        String version;
        try (var versions = Files.list(clusters)) {
            version = versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
        start("aggregator");
        TestKafka.send(Topics.ENRICHED, enrichedEvents(EVENTS));
        awaitStored(EVENTS / 4, Duration.ofSeconds(60));
        Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
                .inheritIO().start();
        assertThat(restart.waitFor(60, TimeUnit.SECONDS) && restart.exitValue() == 0).as("PostgreSQL restarted")
                .isTrue();
        System.out.println("crash: PostgreSQL restarted mid-stream");
        assertExactlyOnce(EVENTS);
    }

    @Test
    void twoAggregatorsSplitThePartitionsAndStayExactThroughARebalance() throws Exception {
        ServiceProcess first = start("aggregator");
        ServiceProcess second = start("aggregator");
        TestKafka.send(Topics.ENRICHED, enrichedEvents(EVENTS));
        awaitStored(EVENTS / 4, Duration.ofSeconds(60));
        assertThat(Files.readString(first.log())).as("first instance has partitions").contains("assigned [pulse");
        assertThat(Files.readString(second.log())).as("second instance has partitions").contains("assigned [pulse");
        second.kill(); // its partitions move to the first instance
        System.out.printf("crash: one of two aggregators killed with %d stored%n", stored());
        assertExactlyOnce(EVENTS);
    }

    @Test
    void enricherKilledMidStreamStillDeliversEveryEventExactlyOnce() throws Exception {
        int count = 20_000;
        start("aggregator");
        ServiceProcess enricher = start("enricher");
        SplittableRandom random = new SplittableRandom(5);
        List<Map.Entry<String, byte[]>> raw = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String person = "v" + random.nextInt(2_000);
            EventContext context = new EventContext("81.2.69.142", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
                    + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", null, null, null, null, null);
            RawEvent event = track(person, "Enrich " + (i % 3), context, now, now);
            raw.add(Map.entry(event.key(), EventJson.toBytes(event)));
        }
        TestKafka.send(Topics.RAW, raw);
        awaitStored(count / 4, Duration.ofSeconds(60));
        enricher.kill();
        System.out.printf("crash: enricher killed with %d of %d stored%n", stored(), count);
        start("enricher");
        assertExactlyOnce(count);

        // Client retries after the crash: the same events again, as new records. The restarted enricher must drop
        // them (its dedup window lives in Redis, not in the process), so none reaches the enriched topic; an
        // enricher that forgot would pass them on, and only the aggregator's primary key would hide it.
        TestKafka.Mark mark = TestKafka.mark(Topics.ENRICHED);
        List<Map.Entry<String, byte[]>> retried = raw.subList(0, 1_000);
        TestKafka.send(Topics.RAW, retried);
        RawEvent marker = track("marker", "Marker", null, now, now);
        TestKafka.send(Topics.RAW, List.of(Map.entry(marker.key(), EventJson.toBytes(marker))));
        // Records of one topic arrive after the ones sent before them on their partition; the marker is on one
        // partition only, so wait for it, then a quiet second for stragglers on the others.
        assertThat(TestKafka.read(mark, r -> r.value().contains(marker.messageId()), 1, Duration.ofSeconds(60)))
                .as("an event after the retries still flows").hasSize(1);
        var passedOn = TestKafka.readAll(mark, r -> r.value().contains(project)
                && !r.value().contains(marker.messageId()), Duration.ofSeconds(2));
        System.out.printf("crash: %d client retries after the restart, %d passed on%n", retried.size(),
                passedOn.size());
        assertThat(passedOn).as("retries of events enriched before the restart").isEmpty();
        assertExactlyOnce(count + 1);
    }
}
