package io.pulse.enricher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the enricher, under {@code pulse.enricher}. Documented in services/enricher/README.md. */
@ConfigMapping(prefix = "pulse.enricher")
public interface EnricherConfig {

    /** Kafka consumer group of the raw topic (tests use their own, see application.properties). */
    @WithDefault("pulse-enricher")
    String consumerGroup();

    Dedup dedup();

    Retry retry();

    UserAgent userAgent();

    Geo geo();

    Session session();

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

    interface UserAgent {
        /** Parsed user agents kept in memory; real traffic repeats a few thousand strings. */
        @WithDefault("10000")
        int cacheSize();
    }

    interface Geo {
        /** A MaxMind GeoIP2/GeoLite2 City (or Country) database; absent: geography from the edge header only. */
        Optional<String> database();
    }

    interface Session {
        /** Inactivity, by event time, after which the next event of a distinct id starts a new session. */
        @WithDefault("30m")
        Duration timeout();

        /** How long Redis keeps a distinct id's session state after its last event (wall clock). */
        @WithDefault("24h")
        Duration stateTtl();
    }
}
