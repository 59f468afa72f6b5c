package io.pulse.query.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Reads read keys (stored as SHA-256 hashes). */
@ApplicationScoped
public class ReadKeyRepository {

    private static final String FIND_PROJECT = """
            SELECT project_id FROM api_keys
             WHERE key_hash = $1 AND kind = 'read' AND revoked_at IS NULL
            """;

    private final Pool pool;

    public ReadKeyRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<String>> findProjectByKeyHash(String keyHash) {
        return pool.preparedQuery(FIND_PROJECT).execute(Tuple.of(keyHash)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(it.next().getString("project_id")) : Optional.empty();
        });
    }
}
