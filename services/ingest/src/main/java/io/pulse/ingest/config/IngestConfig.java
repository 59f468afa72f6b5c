package io.pulse.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the ingest service, under {@code pulse.ingest}. Documented in services/ingest/README.md. */
@ConfigMapping(prefix = "pulse.ingest")
public interface IngestConfig {

    /** Longest wait for Kafka to acknowledge a request's events before answering 503. */
    @WithDefault("2s")
    Duration kafkaTimeout();

    /** What a 503 tells the client to wait before retrying (Retry-After). */
    @WithDefault("1s")
    Duration retryAfter();

    Keys keys();

    Proxy proxy();

    interface Keys {
        /** How long a key lookup is cached; a revoked key stops working within this time. */
        @WithDefault("30s")
        Duration cacheTtl();

        /** How long an unknown key is remembered as unknown, so a flood of bad keys spares PostgreSQL. */
        @WithDefault("5s")
        Duration negativeCacheTtl();
    }

    interface Proxy {
        /**
         * Peers whose X-Forwarded-For / CF-Connecting-IP headers are believed (nginx, load balancers). From
         * anyone else the socket address is the client address.
         */
        Optional<List<String>> trusted();
    }
}
