package io.pulse.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the query service, under {@code pulse.query}. Documented in services/query/README.md. */
@ConfigMapping(prefix = "pulse.query")
public interface QueryConfig {

    /** Most buckets one series may have; protects the database and the browser. */
    @WithDefault("10000")
    int maxBuckets();

    /** Longest range of top values, funnels and retention (funnels and retention read raw events). */
    @WithDefault("92")
    int maxRangeDays();

    /** Origins allowed to call the API cross-origin (fed to quarkus.http.cors.origins); none by default. */
    Optional<List<String>> corsOrigins();

    Keys keys();

    Cache cache();

    Stream stream();

    interface Keys {
        /** How long a key lookup is cached; a revoked key stops working within this time. */
        @WithDefault("30s")
        Duration cacheTtl();

        @WithDefault("5s")
        Duration negativeCacheTtl();
    }

    interface Cache {
        /** Whether answers are cached in Redis at all. */
        @WithDefault("true")
        boolean enabled();

        /** How long the answer of a closed range (ending before now minus {@code settle}) is kept. */
        @WithDefault("1h")
        Duration closedTtl();

        /** How long the answer of a range that includes now is kept. */
        @WithDefault("1s")
        Duration openTtl();
    }

    interface Stream {
        /** Interval of SSE heartbeat comments, so proxies keep idle streams open. */
        @WithDefault("15s")
        Duration heartbeat();

        /** How long one XREAD BLOCK waits; bounds how late a closed connection is noticed. */
        @WithDefault("5s")
        Duration block();
    }
}
