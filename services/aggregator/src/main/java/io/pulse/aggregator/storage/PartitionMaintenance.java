package io.pulse.aggregator.storage;

import io.pulse.aggregator.config.AggregatorConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Keeps daily partitions of {@code events} ready ahead of time. An event for a day without a partition is not
 * lost (it lands in events_default and is moved when the day's partition is made).
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);

    private static final String ENSURE_AHEAD = """
            SELECT count(*) FILTER (WHERE created) AS created FROM (
              SELECT pulse_ensure_event_partition(day::date) AS created
                FROM generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                     (now() AT TIME ZONE 'UTC')::date + $1::int, interval '1 day') AS day
            ) made
            """;

    private static final String DROP_EXPIRED = """
            SELECT pulse_drop_event_partitions_before((now() AT TIME ZONE 'UTC')::date - $1::int) AS dropped
            """;

    private final Pool pool;
    private final AggregatorConfig config;

    public PartitionMaintenance(Pool pool, AggregatorConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        ensureAhead().await().indefinitely();
        dropExpired().await().indefinitely();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> hourly() {
        return ensureAhead().chain(this::dropExpired)
                .onFailure().invoke(e -> LOG.warnf("partition maintenance failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Long> dropExpired() {
        return pool.preparedQuery(DROP_EXPIRED).execute(Tuple.of(config.partitions().retentionDays()))
                .map(rows -> rows.iterator().next().getLong("dropped"))
                .invoke(dropped -> {
                    if (dropped > 0) {
                        LOG.infof("dropped %d daily partitions of events older than %d days", dropped,
                                config.partitions().retentionDays());
                    }
                });
    }

    public Uni<Long> ensureAhead() {
        return pool.preparedQuery(ENSURE_AHEAD).execute(Tuple.of(config.partitions().daysAhead()))
                .map(rows -> rows.iterator().next().getLong("created"))
                .invoke(created -> {
                    if (created > 0) {
                        LOG.infof("created %d daily partitions of events", created);
                    }
                });
    }
}
