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

    Hot hot();

    Recommendations recommendations();

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

        /** Raw events older than this many days are dropped, a daily partition at a time (rollups stay). */
        @WithDefault("90")
        int retentionDays();
    }

    interface Live {
        /** Persons seen within this window count as live; older entries are trimmed from the sorted set. */
        @WithDefault("30m")
        Duration window();
    }

    interface Hot {
        /** Entries kept in a project's activity stream (Redis Stream, trimmed approximately). */
        @WithDefault("10000")
        int projectStreamLength();

        /** Entries kept in one person's activity stream. */
        @WithDefault("100")
        int personStreamLength();

        /** A person's stream expires after this long without events. */
        @WithDefault("30d")
        Duration personStreamTtl();
    }

    interface Recommendations {
        /** Events that show an item (a product viewed, an article read). */
        @WithDefault("Product Viewed,Product Added,Order Completed")
        java.util.List<String> itemEvents();

        /** The property of those events that names the item. */
        @WithDefault("product_id")
        String itemProperty();

        /** Recent items kept per person (and paired with each new item for co-occurrence). */
        @WithDefault("20")
        int recentItems();
    }
}
