package io.pulse.aggregator.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Writes one consumed batch in one PostgreSQL transaction: the events (a replayed one is skipped by the primary
 * key), the rollups of only the events that were new, and the consumer offsets the batch reaches. Either all
 * of it is durable or none is; that is what makes a replay after a crash harmless.
 */
@ApplicationScoped
public class EventBatchWriter {

    /**
     * Rollups are computed from RETURNING, i.e. from rows this statement really inserted: an event stored
     * before (replay, or two instances overlapping during a rebalance) adds nothing to any count.
     */
    static final String INSERT_EVENTS_AND_ROLL_UP = """
            WITH inserted AS (
                INSERT INTO events (project_id, event_time, message_id, type, event_name, distinct_id, person_id,
                                    session_id, bot, received_at, payload)
                SELECT p, t, m, ty, n, d, pe, s, b, r, pl::jsonb
                  FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::text[], $9::bool[], $10::timestamptz[], $11::text[])
                       AS batch(p, t, m, ty, n, d, pe, s, b, r, pl)
                ON CONFLICT DO NOTHING
                RETURNING project_id, event_name, event_time, person_id, bot
            ), rolled AS (
                INSERT INTO rollup_event_minute AS r (project_id, event_name, minute, events, persons, bot_events)
                SELECT project_id, event_name, date_trunc('minute', event_time),
                       count(*) FILTER (WHERE NOT bot),
                       coalesce(hll_add_agg(hll_hash_text(person_id), 14) FILTER (WHERE NOT bot), hll_empty(14)),
                       count(*) FILTER (WHERE bot)
                  FROM inserted
                 GROUP BY 1, 2, 3
                 ORDER BY 1, 2, 3
                ON CONFLICT (project_id, event_name, minute) DO UPDATE
                   SET events = r.events + excluded.events,
                       persons = hll_union(r.persons, excluded.persons),
                       bot_events = r.bot_events + excluded.bot_events
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM rolled) AS rollups
            """;

    /**
     * The batch's position, unconditionally. A late transaction of a former owner may move it back: that only
     * causes a replay, which the events' primary key makes harmless. Refusing to move back would be worse: after
     * a topic is recreated, stored offsets beyond its end would skip new records.
     */
    static final String STORE_OFFSETS = """
            INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset, updated_at)
            SELECT $1, $2, p, n, now() FROM unnest($3::int[], $4::bigint[]) AS offsets(p, n)
            ON CONFLICT (consumer_group, topic, partition) DO UPDATE
               SET next_offset = excluded.next_offset, updated_at = now()
            """;

    /** What one transaction did. */
    public record Result(long inserted, long rollupRows) {
    }

    private final Pool pool;

    public EventBatchWriter(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param nextOffsets per partition of {@code topic}, the offset after the last record of the batch
     */
    public Uni<Result> write(List<EventRow> rows, String group, String topic, Map<Integer, Long> nextOffsets) {
        return pool.withTransaction(connection -> insert(connection, rows)
                .call(() -> storeOffsets(connection, group, topic, nextOffsets)));
    }

    private static Uni<Result> insert(SqlConnection connection, List<EventRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Result(0, 0));
        }
        int n = rows.size();
        String[] projects = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] messageIds = new String[n];
        String[] types = new String[n];
        String[] names = new String[n];
        String[] distinctIds = new String[n];
        String[] persons = new String[n];
        String[] sessions = new String[n];
        Boolean[] bots = new Boolean[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            EventRow row = rows.get(i);
            projects[i] = row.projectId();
            times[i] = row.eventTime();
            messageIds[i] = row.messageId();
            types[i] = row.type();
            names[i] = row.eventName();
            distinctIds[i] = row.distinctId();
            persons[i] = row.personId();
            sessions[i] = row.sessionId();
            bots[i] = row.bot();
            received[i] = row.receivedAt();
            payloads[i] = row.payloadJson();
        }
        Tuple args = Tuple.tuple()
                .addArrayOfString(projects).addArrayOfOffsetDateTime(times).addArrayOfString(messageIds)
                .addArrayOfString(types).addArrayOfString(names).addArrayOfString(distinctIds)
                .addArrayOfString(persons).addArrayOfString(sessions).addArrayOfBoolean(bots)
                .addArrayOfOffsetDateTime(received).addArrayOfString(payloads);
        return connection.preparedQuery(INSERT_EVENTS_AND_ROLL_UP).execute(args)
                .map(result -> {
                    var row = result.iterator().next();
                    return new Result(row.getLong("inserted"), row.getLong("rollups"));
                });
    }

    private static Uni<Void> storeOffsets(SqlConnection connection, String group, String topic,
            Map<Integer, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Integer[] partitions = nextOffsets.keySet().toArray(Integer[]::new);
        Long[] offsets = new Long[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            offsets[i] = nextOffsets.get(partitions[i]);
        }
        Tuple args = Tuple.tuple().addString(group).addString(topic)
                .addArrayOfInteger(partitions).addArrayOfLong(offsets);
        return connection.preparedQuery(STORE_OFFSETS).execute(args).replaceWithVoid();
    }
}
