package io.pulse.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the query service, under {@code pulse.query}. Documented in services/query/README.md. */
@ConfigMapping(prefix = "pulse.query")
public interface QueryConfig {

    /** Most buckets one series may have; protects the database and the browser. */
    @WithDefault("10000")
    int maxBuckets();

    Keys keys();

    interface Keys {
        /** How long a key lookup is cached; a revoked key stops working within this time. */
        @WithDefault("30s")
        Duration cacheTtl();

        @WithDefault("5s")
        Duration negativeCacheTtl();
    }
}
