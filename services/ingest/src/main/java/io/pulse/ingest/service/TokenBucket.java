package io.pulse.ingest.service;

/**
 * A token bucket: {@code ratePerSecond} tokens refill continuously up to {@code burst}. Thread-safe; a take is a
 * few arithmetic operations under the bucket's own lock, so there is no contention across write keys.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /**
     * Takes {@code count} tokens if there are enough.
     *
     * @return 0 when taken, else the nanoseconds until enough tokens will be there (nothing is taken)
     */
    public synchronized long tryTake(double count, long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
        refilledAt = nowNanos;
        if (tokens >= count) {
            tokens -= count;
            return 0;
        }
        double missing = Math.min(count, burst) - tokens;
        return (long) Math.ceil(missing / ratePerNano);
    }
}
