package io.pulse.ingest.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Reads write keys (stored as SHA-256 hashes by the aggregator's schema). Ingest never writes this table. */
@ApplicationScoped
public class WriteKeyRepository {

    private static final String FIND_PROJECT = """
            SELECT project_id FROM api_keys
             WHERE key_hash = $1 AND kind = 'write' AND revoked_at IS NULL
            """;

    private final Pool pool;

    public WriteKeyRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<String>> findProjectByKeyHash(String keyHash) {
        return pool.preparedQuery(FIND_PROJECT).execute(Tuple.of(keyHash))
                .map(WriteKeyRepository::firstProject);
    }

    private static Optional<String> firstProject(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(it.next().getString("project_id")) : Optional.empty();
    }
}
