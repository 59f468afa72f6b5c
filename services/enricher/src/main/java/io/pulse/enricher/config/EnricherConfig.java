package io.pulse.enricher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the enricher, under {@code pulse.enricher}. Documented in services/enricher/README.md. */
@ConfigMapping(prefix = "pulse.enricher")
public interface EnricherConfig {

    /** Kafka consumer group of the raw topic (tests use their own, see application.properties). */
    @WithDefault("pulse-enricher")
    String consumerGroup();

    Dedup dedup();

    Retry retry();

    interface Dedup {
        /** A messageId seen within this window is a client retry and is dropped. */
        @WithDefault("24h")
        Duration window();
    }

    interface Retry {
        /** First wait after Redis or Kafka failed a batch; doubles up to max-backoff. */
        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }
}
