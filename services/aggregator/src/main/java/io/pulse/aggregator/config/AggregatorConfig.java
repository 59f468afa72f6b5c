package io.pulse.aggregator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the aggregator, under {@code pulse.aggregator}. Documented in services/aggregator/README.md. */
@ConfigMapping(prefix = "pulse.aggregator")
public interface AggregatorConfig {

    /** Kafka consumer group; also the key of this consumer's offsets in PostgreSQL. */
    @WithDefault("pulse-aggregator")
    String consumerGroup();

    Retry retry();

    Partitions partitions();

    Live live();

    interface Retry {
        /** First wait after a failed transaction (PostgreSQL down or slow); doubles up to max-backoff. */
        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface Partitions {
        /** Daily partitions of events are created this many days ahead. */
        @WithDefault("3")
        int daysAhead();
    }

    interface Live {
        /** Persons seen within this window count as live; older entries are trimmed from the sorted set. */
        @WithDefault("30m")
        Duration window();
    }
}
