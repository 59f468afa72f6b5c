package io.pulse.ingest.service;

import io.pulse.ingest.config.IngestConfig;
import io.pulse.ingest.storage.WriteKeyRepository;
import io.pulse.shared.auth.ApiKeys;
import io.pulse.shared.auth.KeyCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/** Which project a write key belongs to, cached briefly (see {@link KeyCache}). */
@ApplicationScoped
public class ProjectKeys {

    private final WriteKeyRepository repository;
    private final KeyCache cache;

    public ProjectKeys(WriteKeyRepository repository, IngestConfig config) {
        this.repository = repository;
        this.cache = new KeyCache(config.keys().cacheTtl(), config.keys().negativeCacheTtl(), Clock.systemUTC());
    }

    public Uni<Optional<String>> projectOf(String writeKey) {
        String hash = ApiKeys.hash(writeKey);
        Optional<String> cached = cache.get(hash);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return repository.findProjectByKeyHash(hash).invoke(found -> cache.put(hash, found));
    }
}
