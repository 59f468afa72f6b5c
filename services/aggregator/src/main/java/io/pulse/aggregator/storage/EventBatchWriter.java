package io.pulse.aggregator.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one consumed batch in one PostgreSQL transaction: the events (a replayed one is skipped by the primary
 * key) with the identity links they carry, then the rollups of only the events that were new, then the consumer
 * offsets the batch reaches. Either all of it is durable or none is; that is what makes a replay after a crash
 * harmless. Three statements per batch, whatever its size. Rollups are kept per minute, hour and day of UTC, all
 * from the same minute groups, which {@link MinuteRollups} forms here (with the persons' hashes) so PostgreSQL
 * only merges finished groups into its rows.
 */
@ApplicationScoped
public class EventBatchWriter {

    /** Returns the events this statement really inserted: only those are rolled up (replays add nothing). */
    static final String INSERT_EVENTS = """
            WITH batch AS (
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                                     $7::text[], $8::text[], $9::bool[], $10::timestamptz[], $11::text[],
                                     $12::text[]) WITH ORDINALITY
                       AS b(p, t, m, ty, n, d, pe, s, bot, r, pl, anon, ord)
            ), inserted AS (
                INSERT INTO events (project_id, event_time, message_id, type, event_name, distinct_id, person_id,
                                    session_id, bot, received_at, payload)
                SELECT p, t, m, ty, n, d, pe, s, bot, r, pl::jsonb FROM batch
                ON CONFLICT DO NOTHING
                RETURNING project_id, event_time, message_id
            ), linked AS (
                INSERT INTO identities (project_id, anonymous_id, user_id, linked_at)
                SELECT DISTINCT ON (b.p, b.anon) b.p, b.anon, b.d, b.t
                  FROM batch b
                 WHERE b.anon IS NOT NULL
                   AND EXISTS (SELECT 1 FROM inserted i
                                WHERE i.project_id = b.p AND i.event_time = b.t AND i.message_id = b.m)
                 ORDER BY b.p, b.anon, b.t, b.ord
                ON CONFLICT (project_id, anonymous_id) DO NOTHING
                RETURNING 1
            )
            SELECT project_id, message_id FROM inserted
            """;

    /**
     * Upserts the minute groups and the hour and day groups they add up to. A group's persons are the slice
     * {@code [lo:hi]} of one array of hashes; PostgreSQL adds them to a sketch (hll_hashval: no hashing here).
     * Rows are upserted in key order, so two writers (a rebalance overlap) lock them in the same order.
     */
    static final String ROLL_UP = """
            WITH event_minutes AS (
                SELECT project_id, event_name, minute, events, bot_events,
                       coalesce((SELECT hll_add_agg(h::hll_hashval, 14) FROM unnest(($16::bigint[])[lo:hi]) AS h),
                                hll_empty(14)) AS persons
                  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::int[],
                              $7::int[]) AS g(project_id, event_name, minute, events, bot_events, lo, hi)
            ), dimension_minutes AS (
                SELECT project_id, event_name, dimension, value, minute, events,
                       (SELECT hll_add_agg(h::hll_hashval, 14) FROM unnest(($16::bigint[])[lo:hi]) AS h) AS persons
                  FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::bigint[],
                              $14::int[], $15::int[])
                       AS g(project_id, event_name, dimension, value, minute, events, lo, hi)
            ), rolled AS (
                INSERT INTO rollup_event_minute AS r (project_id, event_name, minute, events, persons, bot_events)
                SELECT project_id, event_name, minute, events, persons, bot_events
                  FROM event_minutes
                 ORDER BY 1, 2, 3
                ON CONFLICT (project_id, event_name, minute) DO UPDATE
                   SET events = r.events + excluded.events,
                       persons = hll_union(r.persons, excluded.persons),
                       bot_events = r.bot_events + excluded.bot_events
                RETURNING 1
            ), rolled_hours AS (
                INSERT INTO rollup_event_hour AS r (project_id, event_name, hour, events, persons, bot_events)
                SELECT project_id, event_name, date_trunc('hour', minute, 'UTC'), sum(events),
                       hll_union_agg(persons), sum(bot_events)
                  FROM event_minutes
                 GROUP BY 1, 2, 3
                 ORDER BY 1, 2, 3
                ON CONFLICT (project_id, event_name, hour) DO UPDATE
                   SET events = r.events + excluded.events,
                       persons = hll_union(r.persons, excluded.persons),
                       bot_events = r.bot_events + excluded.bot_events
                RETURNING 1
            ), rolled_days AS (
                INSERT INTO rollup_event_day AS r (project_id, event_name, day, events, persons, bot_events)
                SELECT project_id, event_name, date_trunc('day', minute, 'UTC'), sum(events),
                       hll_union_agg(persons), sum(bot_events)
                  FROM event_minutes
                 GROUP BY 1, 2, 3
                 ORDER BY 1, 2, 3
                ON CONFLICT (project_id, event_name, day) DO UPDATE
                   SET events = r.events + excluded.events,
                       persons = hll_union(r.persons, excluded.persons),
                       bot_events = r.bot_events + excluded.bot_events
                RETURNING 1
            ), dimensions AS (
                INSERT INTO rollup_dimension_minute AS r (project_id, event_name, dimension, value, minute, events,
                                                          persons)
                SELECT project_id, event_name, dimension, value, minute, events, persons
                  FROM dimension_minutes
                 ORDER BY 1, 2, 3, 5, 4
                ON CONFLICT (project_id, event_name, dimension, minute, value) DO UPDATE
                   SET events = r.events + excluded.events, persons = hll_union(r.persons, excluded.persons)
                RETURNING 1
            ), dimension_hours AS (
                INSERT INTO rollup_dimension_hour AS r (project_id, event_name, dimension, value, hour, events,
                                                        persons)
                SELECT project_id, event_name, dimension, value, date_trunc('hour', minute, 'UTC'), sum(events),
                       hll_union_agg(persons)
                  FROM dimension_minutes
                 GROUP BY 1, 2, 3, 4, 5
                 ORDER BY 1, 2, 3, 5, 4
                ON CONFLICT (project_id, event_name, dimension, hour, value) DO UPDATE
                   SET events = r.events + excluded.events, persons = hll_union(r.persons, excluded.persons)
                RETURNING 1
            ), dimension_days AS (
                INSERT INTO rollup_dimension_day AS r (project_id, event_name, dimension, value, day, events,
                                                       persons)
                SELECT project_id, event_name, dimension, value, date_trunc('day', minute, 'UTC'), sum(events),
                       hll_union_agg(persons)
                  FROM dimension_minutes
                 GROUP BY 1, 2, 3, 4, 5
                 ORDER BY 1, 2, 3, 5, 4
                ON CONFLICT (project_id, event_name, dimension, day, value) DO UPDATE
                   SET events = r.events + excluded.events, persons = hll_union(r.persons, excluded.persons)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM rolled) + (SELECT count(*) FROM rolled_hours)
                   + (SELECT count(*) FROM rolled_days) + (SELECT count(*) FROM dimensions)
                   + (SELECT count(*) FROM dimension_hours) + (SELECT count(*) FROM dimension_days) AS rollup_rows
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

    /**
     * What one transaction did.
     *
     * @param newEvents {@code projectId + '/' + messageId} of the events stored for the first time
     */
    public record Result(Set<String> newEvents, long rollupRows) {

        public long inserted() {
            return newEvents.size();
        }

        public static String idOf(String projectId, String messageId) {
            return projectId + '/' + messageId;
        }
    }

    private final Pool pool;

    public EventBatchWriter(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param nextOffsets per partition of {@code topic}, the offset after the last record of the batch
     */
    public Uni<Result> write(List<EventRow> rows, String group, String topic, Map<Integer, Long> nextOffsets) {
        List<EventRow> distinct = distinct(rows);
        return pool.withTransaction(connection -> insert(connection, distinct)
                .chain(inserted -> rollUp(connection, newRows(distinct, inserted))
                        .map(rollupRows -> new Result(inserted, rollupRows)))
                .call(() -> storeOffsets(connection, group, topic, nextOffsets)));
    }

    /** A key twice in one batch is stored once but matches its inserted key twice (rolled up twice): keep the first. */
    static List<EventRow> distinct(List<EventRow> rows) {
        Map<String, EventRow> byKey = new LinkedHashMap<>();
        for (EventRow row : rows) {
            byKey.putIfAbsent(row.key(), row);
        }
        return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
    }

    /** @return {@code projectId/messageId} of the events stored for the first time */
    private static Uni<Set<String>> insert(SqlConnection connection, List<EventRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Set.of());
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
        String[] anonymous = new String[n];
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
            anonymous[i] = row.linkedAnonymousId();
        }
        Tuple args = Tuple.tuple()
                .addArrayOfString(projects).addArrayOfOffsetDateTime(times).addArrayOfString(messageIds)
                .addArrayOfString(types).addArrayOfString(names).addArrayOfString(distinctIds)
                .addArrayOfString(persons).addArrayOfString(sessions).addArrayOfBoolean(bots)
                .addArrayOfOffsetDateTime(received).addArrayOfString(payloads).addArrayOfString(anonymous);
        return connection.preparedQuery(INSERT_EVENTS).execute(args).map(result -> {
            Set<String> inserted = new HashSet<>(result.rowCount() * 2);
            for (Row row : result) {
                inserted.add(Result.idOf(row.getString("project_id"), row.getString("message_id")));
            }
            return inserted;
        });
    }

    private static List<EventRow> newRows(List<EventRow> rows, Set<String> inserted) {
        if (inserted.size() == rows.size()) {
            return rows;
        }
        return rows.stream().filter(row -> inserted.contains(Result.idOf(row.projectId(), row.messageId()))).toList();
    }

    /** @return the rollup rows written (inserted or updated) */
    private static Uni<Long> rollUp(SqlConnection connection, List<EventRow> newRows) {
        if (newRows.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        return connection.preparedQuery(ROLL_UP).execute(MinuteRollups.of(newRows).toTuple())
                .map(result -> result.iterator().next().getLong("rollup_rows"));
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
