package io.pulse.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the ingest service, under {@code pulse.ingest}. Documented in services/ingest/README.md. */
@ConfigMapping(prefix = "pulse.ingest")
public interface IngestConfig {

    /**
     * Longest wait for Kafka to acknowledge a request's events before answering 503; below 2 s so that the
     * client hears within 2 s even with the rest of the request's work.
     */
    @WithDefault("1500ms")
    Duration kafkaTimeout();

    /** Longest wait for a write key lookup in PostgreSQL before answering 503. */
    @WithDefault("1s")
    Duration keyLookupTimeout();

    /** Request bytes (decompressed) waiting for Kafka across all requests; beyond it requests get 503. */
    @WithDefault("67108864")
    long maxInFlightBytes();

    RateLimit rateLimit();

    Producer producer();

    interface Producer {
        /** How long the producer waits to fill a batch; a few ms of latency buy far fewer, larger sends. */
        @WithDefault("2ms")
        Duration linger();

        /** Bytes the producer may hold unsent (Kafka slow or down); beyond it requests get 503 at once. */
        @WithDefault("67108864")
        long bufferBytes();

        /** Longest the event loop may wait to append a record (metadata or buffer); then 503. */
        @WithDefault("20ms")
        Duration maxBlock();
    }

    /** What a 503 tells the client to wait before retrying (Retry-After). */
    @WithDefault("1s")
    Duration retryAfter();

    Keys keys();

    Proxy proxy();

    interface RateLimit {
        /**
         * Sustained events per second per write key (a batch of 100 counts 100). The default only stops a
         * runaway client; set it per deployment (nginx adds per-IP and per-key limits in front).
         */
        @WithDefault("200000")
        double eventsPerSecond();

        /** Events a key may send at once above the sustained rate. */
        @WithDefault("400000")
        double burst();
    }

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
