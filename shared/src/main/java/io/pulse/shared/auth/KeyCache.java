package io.pulse.shared.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which project a key hash belongs to (or that it belongs to none) for a short time, so a request
 * costs no database round trip, and a revoked key stops working once its entry expires.
 */
public final class KeyCache {

    private record Entry(Optional<String> projectId, long expiresAtMillis) {
    }

    /** Bound on entries: unknown keys are cached too, and a flood of random keys must not grow memory. */
    static final int MAX_ENTRIES = 100_000;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Duration negativeTtl;
    private final Clock clock;

    public KeyCache(Duration ttl, Duration negativeTtl, Clock clock) {
        this.ttl = ttl;
        this.negativeTtl = negativeTtl;
        this.clock = clock;
    }

    /** The cached answer, or null when there is none or it has expired. */
    public Optional<String> get(String keyHash) {
        Entry entry = entries.get(keyHash);
        if (entry == null || entry.expiresAtMillis() <= clock.millis()) {
            return null;
        }
        return entry.projectId();
    }

    public void put(String keyHash, Optional<String> projectId) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = clock.millis();
            entries.values().removeIf(e -> e.expiresAtMillis() <= now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear(); // everything live: start over rather than grow
            }
        }
        Duration life = projectId.isPresent() ? ttl : negativeTtl;
        entries.put(keyHash, new Entry(projectId, clock.millis() + life.toMillis()));
    }
}
