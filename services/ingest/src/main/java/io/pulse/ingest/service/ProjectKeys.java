package io.pulse.ingest.service;

import io.pulse.ingest.config.IngestConfig;
import io.pulse.ingest.storage.WriteKeyRepository;
import io.pulse.shared.auth.ApiKeys;
import io.pulse.shared.auth.KeyCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.pulse.shared.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Which project a write key belongs to, cached briefly (see {@link KeyCache}). */
@ApplicationScoped
public class ProjectKeys {

    private final WriteKeyRepository repository;
    private final KeyCache cache;
    private final Duration lookupTimeout;
    private final ConcurrentHashMap<String, Uni<Optional<String>>> inFlight = new ConcurrentHashMap<>();

    public ProjectKeys(WriteKeyRepository repository, IngestConfig config) {
        this.repository = repository;
        this.cache = new KeyCache(config.keys().cacheTtl(), config.keys().negativeCacheTtl(), Clock.systemUTC());
        this.lookupTimeout = config.keyLookupTimeout();
    }

    /** The cached answer for a write key (empty: unknown key), or null when only {@link #projectOf} can tell. */
    public Optional<String> cached(String writeKey) {
        return cache.get(ApiKeys.hash(writeKey));
    }

    public Uni<Optional<String>> projectOf(String writeKey) {
        String hash = ApiKeys.hash(writeKey);
        Optional<String> cached = cache.get(hash);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        // One lookup per key at a time: a burst of a new key's first requests waits for it instead of
        // sending PostgreSQL one query each (at start-up all of them miss the cache at once).
        return inFlight.computeIfAbsent(hash, h -> repository.findProjectByKeyHash(h)
                .ifNoItem().after(lookupTimeout).fail()
                .onFailure().transform(e -> new ApiException(503, "key_store_unavailable", null,
                        "write keys cannot be checked right now; retry later", 1))
                .invoke(found -> cache.put(h, found))
                .onTermination().invoke(() -> inFlight.remove(h))
                .memoize().indefinitely());
    }
}
