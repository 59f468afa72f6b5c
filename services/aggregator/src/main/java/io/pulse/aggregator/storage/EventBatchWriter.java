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
 * key), the rollups and identity links of only the events that were new, and the consumer offsets the batch
 * reaches. Either all of it is durable or none is; that is what makes a replay after a crash harmless.
 * Two statements per batch, whatever its size. Rollups are kept per minute, hour and day of UTC, all from the
 * same minute aggregates.
 */
@ApplicationScoped
public class EventBatchWriter {

    /**
     * Everything derived is computed from RETURNING, i.e. from rows this statement really inserted: an event
     * stored before (replay, or two instances overlapping during a rebalance) adds nothing to any count.
     */
    static final String INSERT_EVENTS_AND_ROLL_UP = """
            WITH batch AS (
                SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                                     $7::text[], $8::text[], $9::bool[], $10::timestamptz[], $11::text[],
                                     $12::text[], $13::text[]) WITH ORDINALITY
                       AS b(p, t, m, ty, n, d, pe, s, bot, r, pl, dims, anon, ord)
            ), inserted AS (
                INSERT INTO events (project_id, event_time, message_id, type, event_name, distinct_id, person_id,
                                    session_id, bot, received_at, payload)
                SELECT p, t, m, ty, n, d, pe, s, bot, r, pl::jsonb FROM batch
                ON CONFLICT DO NOTHING
                RETURNING project_id, event_time, message_id, event_name, person_id, bot
            ), new_rows AS (
                SELECT i.project_id, i.event_time, i.message_id, i.event_name, i.person_id, i.bot, b.dims, b.anon,
                       b.d AS distinct_id, b.ord
                  FROM inserted i JOIN batch b ON b.p = i.project_id AND b.t = i.event_time AND b.m = i.message_id
            ), event_minutes AS (
                SELECT project_id, event_name, date_trunc('minute', event_time) AS minute,
                       count(*) FILTER (WHERE NOT bot) AS events,
                       coalesce(hll_add_agg(hll_hash_text(person_id), 14) FILTER (WHERE NOT bot), hll_empty(14))
                           AS persons,
                       count(*) FILTER (WHERE bot) AS bot_events
                  FROM new_rows
                 GROUP BY 1, 2, 3
            ), dimension_minutes AS (
                SELECT n.project_id, n.event_name, dim.key AS dimension, dim.value,
                       date_trunc('minute', n.event_time) AS minute, count(*) AS events,
                       hll_add_agg(hll_hash_text(n.person_id), 14) AS persons
                  FROM new_rows n CROSS JOIN LATERAL jsonb_each_text(n.dims::jsonb) AS dim(key, value)
                 WHERE NOT n.bot
                 GROUP BY 1, 2, 3, 4, 5
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
            ), linked AS (
                INSERT INTO identities (project_id, anonymous_id, user_id, linked_at)
                SELECT DISTINCT ON (project_id, anon) project_id, anon, distinct_id, event_time
                  FROM new_rows WHERE anon IS NOT NULL
                 ORDER BY project_id, anon, event_time, ord
                ON CONFLICT (project_id, anonymous_id) DO NOTHING
                RETURNING 1
            )
            SELECT n.project_id, n.message_id,
                   (SELECT count(*) FROM rolled) + (SELECT count(*) FROM rolled_hours) + (SELECT count(*) FROM rolled_days)
                   + (SELECT count(*) FROM dimensions) + (SELECT count(*) FROM dimension_hours)
                   + (SELECT count(*) FROM dimension_days) AS rollup_rows
              FROM new_rows n
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
        return pool.withTransaction(connection -> insert(connection, distinct(rows))
                .call(() -> storeOffsets(connection, group, topic, nextOffsets)));
    }

    /** A key twice in one statement would be joined twice to its inserted row and counted twice: keep the first. */
    static List<EventRow> distinct(List<EventRow> rows) {
        Map<String, EventRow> byKey = new LinkedHashMap<>();
        for (EventRow row : rows) {
            byKey.putIfAbsent(row.key(), row);
        }
        return byKey.size() == rows.size() ? rows : new ArrayList<>(byKey.values());
    }

    private static Uni<Result> insert(SqlConnection connection, List<EventRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Result(Set.of(), 0));
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
        String[] dimensions = new String[n];
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
            dimensions[i] = row.dimensionsJson();
            anonymous[i] = row.linkedAnonymousId();
        }
        Tuple args = Tuple.tuple()
                .addArrayOfString(projects).addArrayOfOffsetDateTime(times).addArrayOfString(messageIds)
                .addArrayOfString(types).addArrayOfString(names).addArrayOfString(distinctIds)
                .addArrayOfString(persons).addArrayOfString(sessions).addArrayOfBoolean(bots)
                .addArrayOfOffsetDateTime(received).addArrayOfString(payloads).addArrayOfString(dimensions)
                .addArrayOfString(anonymous);
        return connection.preparedQuery(INSERT_EVENTS_AND_ROLL_UP).execute(args).map(result -> {
            Set<String> inserted = new HashSet<>(result.rowCount() * 2);
            long rollupRows = 0;
            for (Row row : result) {
                inserted.add(Result.idOf(row.getString("project_id"), row.getString("message_id")));
                rollupRows = row.getLong("rollup_rows");
            }
            return new Result(inserted, rollupRows);
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
