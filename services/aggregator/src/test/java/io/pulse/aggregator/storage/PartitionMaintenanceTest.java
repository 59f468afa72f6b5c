package io.pulse.aggregator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PartitionMaintenanceTest {

    private final PartitionMaintenance maintenance;

    PartitionMaintenanceTest(PartitionMaintenance maintenance) {
        this.maintenance = maintenance;
    }

    private static String partitionOf(LocalDate day) {
        return "events_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    @Test
    void partitionsExistAheadOfTime() {
        maintenance.ensureAhead().await().indefinitely();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int day = -1; day <= 3; day++) {
            assertThat(TestDatabase.queryLong("SELECT count(*) FROM pg_class WHERE relname = ?",
                    partitionOf(today.plusDays(day)))).as("partition %s", partitionOf(today.plusDays(day)))
                    .isEqualTo(1);
        }
    }

    @Test
    void partitionsOlderThanTheRetentionAreDropped() {
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(400);
        TestDatabase.execute("SELECT pulse_ensure_event_partition(?::date)", old.toString());
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM pg_class WHERE relname = ?", partitionOf(old)))
                .isEqualTo(1);
        assertThat(maintenance.dropExpired().await().indefinitely()).isPositive();
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM pg_class WHERE relname = ?", partitionOf(old)))
                .isZero();
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM pg_class WHERE relname = ?", partitionOf(yesterday)))
                .as("recent partitions stay").isEqualTo(1);
    }

    @Test
    void anEventForADayWithoutPartitionIsKeptAndMovedWhenThePartitionIsMade() {
        // A day far enough ahead that no maintenance run has made its partition (and unique per run).
        LocalDate day = LocalDate.of(2400, 1, 1).plusDays(Math.floorMod(UUID.randomUUID().hashCode(), 100_000));
        String project = "pm-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatabase.execute("""
                INSERT INTO events (project_id, event_time, message_id, type, event_name, distinct_id, person_id,
                                    received_at, payload)
                VALUES (?, ?::timestamptz, 'm1', 'track', 'Future', 'u', 'u', now(), '{}')""",
                project, day + "T10:00:00Z");
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM events_default WHERE project_id = ?", project))
                .isEqualTo(1);

        TestDatabase.execute("SELECT pulse_ensure_event_partition(?::date)", day.toString());

        assertThat(TestDatabase.queryLong("SELECT count(*) FROM events_default WHERE project_id = ?", project))
                .isZero();
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM " + partitionOf(day) + " WHERE project_id = ?",
                project)).isEqualTo(1);
        TestDatabase.execute("DROP TABLE " + partitionOf(day));
    }
}
