package io.pulse.ingest.service;

import io.pulse.ingest.config.IngestConfig;
import io.pulse.shared.http.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What ingest lets in: events per second per write key (a token bucket each, 429 beyond), and bytes waiting for
 * Kafka across all requests (503 beyond), so a flood slows clients down instead of exhausting memory.
 */
@ApplicationScoped
public class Admission {

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final double eventsPerSecond;
    private final double burst;
    private final long maxInFlightBytes;
    private final int retryAfterSeconds;

    public Admission(IngestConfig config) {
        this.eventsPerSecond = config.rateLimit().eventsPerSecond();
        this.burst = config.rateLimit().burst();
        this.maxInFlightBytes = config.maxInFlightBytes();
        this.retryAfterSeconds = (int) Math.max(1, config.retryAfter().toSeconds());
    }

    /** Takes {@code events} from the key's bucket, or throws 429 with how long to wait. Only valid keys get here. */
    public void admitEvents(String writeKey, int events) {
        if (events == 0) {
            return;
        }
        long now = System.nanoTime();
        TokenBucket bucket = buckets.computeIfAbsent(writeKey, k -> new TokenBucket(eventsPerSecond, burst, now));
        long waitNanos = bucket.tryTake(events, now);
        if (waitNanos > 0) {
            int seconds = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
            throw new ApiException(429, "rate_limited", null,
                    "more than " + (long) eventsPerSecond + " events per second for this write key; retry later",
                    seconds);
        }
    }

    /** Reserves room for a request's bytes until {@link #release}; throws 503 when ingest is full. */
    public void reserveBytes(long bytes) {
        long now = inFlightBytes.addAndGet(bytes);
        if (now > maxInFlightBytes && now != bytes) { // one request alone always fits
            inFlightBytes.addAndGet(-bytes);
            throw new ApiException(503, "overloaded", null, "ingest is at capacity; retry later", retryAfterSeconds);
        }
    }

    public void release(long bytes) {
        inFlightBytes.addAndGet(-bytes);
    }
}
