package io.pulse.query.service;

import io.pulse.query.config.QueryConfig;
import io.pulse.query.storage.ReadKeyRepository;
import io.pulse.shared.auth.ApiKeys;
import io.pulse.shared.auth.KeyCache;
import io.pulse.shared.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Checks a read key against the project a request names. A key of another project gets 404, not 403: the
 * answer must not tell whether a project id exists.
 */
@ApplicationScoped
public class ReadKeys {

    private final ReadKeyRepository repository;
    private final KeyCache cache;

    public ReadKeys(ReadKeyRepository repository, QueryConfig config) {
        this.repository = repository;
        this.cache = new KeyCache(config.keys().cacheTtl(), config.keys().negativeCacheTtl(), Clock.systemUTC());
    }

    /** Completes when the Authorization header carries a read key of {@code projectId}; fails with 401/404. */
    public Uni<Void> authorize(String authorization, String projectId) {
        String key = bearer(authorization);
        String hash = ApiKeys.hash(key);
        Optional<String> cached = cache.get(hash);
        Uni<Optional<String>> owner = cached != null ? Uni.createFrom().item(cached)
                : repository.findProjectByKeyHash(hash).invoke(found -> cache.put(hash, found));
        return owner.map(project -> {
            if (project.isEmpty()) {
                throw new ApiException(401, "unknown_read_key", "Authorization", "the read key is not valid");
            }
            if (!project.get().equals(projectId)) {
                throw new ApiException(404, "project_not_found", "projectId", "no such project for this key");
            }
            return null;
        }).replaceWithVoid();
    }

    static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiException(401, "missing_read_key", "Authorization",
                    "send the read key as 'Authorization: Bearer <key>'");
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
            throw new ApiException(401, "unsupported_authorization", "Authorization",
                    "send the read key as 'Authorization: Bearer <key>'");
        }
        return parts[1].trim();
    }
}
