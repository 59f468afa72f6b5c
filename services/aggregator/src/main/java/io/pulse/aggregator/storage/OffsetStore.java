package io.pulse.aggregator.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/** Reads the offsets {@link EventBatchWriter} stored with the data. */
@ApplicationScoped
public class OffsetStore {

    private static final String LOAD = """
            SELECT partition, next_offset FROM consumer_offsets WHERE consumer_group = $1 AND topic = $2
            """;

    private final Pool pool;

    public OffsetStore(Pool pool) {
        this.pool = pool;
    }

    /** partition -> next offset to read. */
    public Uni<Map<Integer, Long>> load(String group, String topic) {
        return pool.preparedQuery(LOAD).execute(Tuple.of(group, topic)).map(rows -> {
            Map<Integer, Long> offsets = new HashMap<>();
            for (Row row : rows) {
                offsets.put(row.getInteger("partition"), row.getLong("next_offset"));
            }
            return offsets;
        });
    }
}
