package io.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.LoadGenerator;
import io.pulse.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bench's LoadGenerator driving ingest in the background while a test breaks something, with a ledger of
 * every answer: which events got a 200 (accepted), which were sent at all, and when each answer came, for the
 * stall (the longest time without a 200) and the share of 503s in a window. Then {@link #count} compares the
 * ledger with what PostgreSQL stored.
 */
final class LoadRun {

    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final List<long[]> answers = new ArrayList<>(); // {nanoTime, status}
    private final CompletableFuture<Map<String, Object>> result;
    final long startNanos = System.nanoTime();

    /** @param args LoadGenerator options ({@code --url=… --key=… --rate=… --duration=…}) */
    LoadRun(String... args) {
        LoadGenerator generator = new LoadGenerator(LoadGenerator.Options.parse(args)).onResponse((ids, status, at) -> {
            sent.addAll(ids);
            if (status == 200) {
                accepted.addAll(ids);
            }
            synchronized (answers) {
                answers.add(new long[] {at, status});
            }
        });
        result = CompletableFuture.supplyAsync(() -> {
            try {
                return generator.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Generator options for a steady single-event load on one project: open loop at {@code rate} events/s (a
     * stall is not hidden by the client slowing down), enough connections to keep sending while answers wait.
     */
    static String[] options(String ingestUrl, TestDatabase.Project project, String label, int rate,
            Duration duration, String... more) {
        List<String> args = new ArrayList<>(List.of("--url=" + ingestUrl, "--key=" + project.writeKey(),
                "--label=" + label, "--rate=" + rate, "--duration=" + duration.toSeconds() + "s",
                "--connections=256", "--persons=2000", "--property-bytes=100"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /**
     * Warms a fresh pipeline up (JIT, connection pools, the key cache, consumer groups): cold, on two cores, the
     * first seconds answer slowly and some 503s, which would be counted against the fault that follows.
     */
    static void warmUp(String ingestUrl, int rate) throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        LoadRun run = new LoadRun(options(ingestUrl, project, "warm-up", rate, Duration.ofSeconds(15), "--retries=5"));
        run.await();
        Count count = run.count(project.id(), Duration.ofSeconds(60));
        System.out.println("faults: warm-up " + count);
        assertExactlyOnce(count);
    }

    /** Seconds since the run started. */
    double at(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    void sleepUntil(Duration sinceStart) throws InterruptedException {
        long wait = startNanos + sinceStart.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    Map<String, Object> await() {
        return result.join();
    }

    Set<String> accepted() {
        return accepted;
    }

    Set<String> sent() {
        return sent;
    }

    private List<long[]> answers(long fromNanos, long toNanos) {
        synchronized (answers) {
            return answers.stream().filter(a -> a[0] >= fromNanos && a[0] <= toNanos)
                    .sorted((a, b) -> Long.compare(a[0], b[0])).toList();
        }
    }

    /** Answers of each status between the two instants. */
    Map<Integer, Long> statuses(long fromNanos, long toNanos) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        for (long[] a : answers(fromNanos, toNanos)) {
            counts.merge((int) a[1], 1L, Long::sum);
        }
        return counts;
    }

    /** 503 answers as a share of all answers between the two instants (0..1). */
    double share503(long fromNanos, long toNanos) {
        List<long[]> window = answers(fromNanos, toNanos);
        return window.isEmpty() ? 0 : window.stream().filter(a -> a[1] == 503).count() / (double) window.size();
    }

    /** The longest time between two 200 answers (or a window edge and a 200) within the window. */
    Duration longestGapWithout200(long fromNanos, long toNanos) {
        long previous = fromNanos;
        long longest = 0;
        for (long[] a : answers(fromNanos, toNanos)) {
            if (a[1] == 200) {
                longest = Math.max(longest, a[0] - previous);
                previous = a[0];
            }
        }
        longest = Math.max(longest, toNanos - previous);
        return Duration.ofNanos(longest);
    }

    /** What PostgreSQL holds for the project, against the ledger. */
    record Count(int sent, int accepted, long stored, long distinct, long rollup, int acceptedMissing,
            int storedNeverSent, int storedWithout200) {

        long duplicates() {
            return stored - distinct;
        }

        @Override
        public String toString() {
            return String.format("sent %,d, accepted %,d, stored %,d, duplicates %,d, rollup %,d, stored without a"
                    + " 200 %,d, accepted but missing %d, stored but never sent %d", sent, accepted, stored,
                    duplicates(), rollup, storedWithout200, acceptedMissing, storedNeverSent);
        }
    }

    /**
     * Waits until every accepted event is stored (or the timeout passes), lets late duplicates show, then counts.
     */
    Count count(String project, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (storedIds(project).size() < accepted.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        Thread.sleep(2_000); // anything arriving twice, late, would show now
        Set<String> stored = storedIds(project);
        long rows = TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ?", project);
        long rollup = TestDatabase.queryLong(
                "SELECT coalesce(sum(events + bot_events), 0) FROM rollup_event_minute WHERE project_id = ?", project);
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(stored);
        Set<String> neverSent = new HashSet<>(stored);
        neverSent.removeAll(sent);
        Set<String> without200 = new HashSet<>(stored);
        without200.removeAll(accepted);
        return new Count(sent.size(), accepted.size(), rows, stored.size(), rollup, missing.size(), neverSent.size(),
                without200.size());
    }

    /** Every accepted event stored exactly once, nothing stored that was not sent, rollups equal to the rows. */
    static void assertExactlyOnce(Count count) {
        assertThat(count.acceptedMissing()).as("events answered 200 but not stored: " + count).isZero();
        assertThat(count.duplicates()).as("events stored twice: " + count).isZero();
        assertThat(count.storedNeverSent()).as("stored events nobody sent: " + count).isZero();
        assertThat(count.rollup()).as("events in the minute rollups: " + count).isEqualTo(count.stored());
        assertThat(count.accepted()).as("the load was accepted at all").isPositive();
    }

    private static Set<String> storedIds(String project) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = TestDatabase.connect();
                PreparedStatement statement = c.prepareStatement(
                        "SELECT message_id FROM events WHERE project_id = ?")) {
            statement.setString(1, project);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }
}
