package io.pulse.query.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads the minute rollups; never the raw events. */
@ApplicationScoped
public class RollupRepository {

    /** Buckets of the range and, in the row whose bucket is null, the totals (GROUPING SETS). */
    private static final String TREND = """
            SELECT date_trunc($4, minute, $5) AS bucket,
                   sum(events)::bigint AS events,
                   round(hll_cardinality(hll_union_agg(persons)))::bigint AS persons
              FROM rollup_event_minute
             WHERE project_id = $1 AND event_name = $2 AND minute >= $3 AND minute < $6
             GROUP BY GROUPING SETS ((1), ())
             ORDER BY 1 NULLS FIRST
            """;

    /**
     * One dimension's top values ($7 of them) per bucket, everything else folded into the null value ("other");
     * rows with a null bucket are each series' totals.
     */
    private static final String BREAKDOWN = """
            WITH top AS (
                SELECT value FROM rollup_dimension_minute
                 WHERE project_id = $1 AND event_name = $2 AND dimension = $7 AND minute >= $3 AND minute < $6
                 GROUP BY value ORDER BY sum(events) DESC, value LIMIT $8)
            SELECT date_trunc($4, d.minute, $5) AS bucket, top.value AS value,
                   sum(d.events)::bigint AS events,
                   round(hll_cardinality(hll_union_agg(d.persons)))::bigint AS persons
              FROM rollup_dimension_minute d LEFT JOIN top ON top.value = d.value
             WHERE d.project_id = $1 AND d.event_name = $2 AND d.dimension = $7 AND d.minute >= $3 AND d.minute < $6
             GROUP BY GROUPING SETS ((1, 2), (2))
            """;

    /** Top values of a dimension, for one event or (when $2 is null) all events. */
    private static final String TOP = """
            SELECT value, sum(events)::bigint AS events,
                   round(hll_cardinality(hll_union_agg(persons)))::bigint AS persons
              FROM rollup_dimension_minute
             WHERE project_id = $1 AND ($2::text IS NULL OR event_name = $2) AND dimension = $3
               AND minute >= $4 AND minute < $5
             GROUP BY value ORDER BY 2 DESC, value LIMIT $6
            """;

    /** One bucket's numbers; {@code bucket} is null for the totals. */
    public record BucketRow(Instant bucket, long events, long persons) {
    }

    /** One bucket of one breakdown value; {@code value} null is "other", {@code bucket} null the series' total. */
    public record ValueBucketRow(Instant bucket, String value, long events, long persons) {
    }

    public record ValueRow(String value, long events, long persons) {
    }

    private final ReadPool pool;

    public RollupRepository(ReadPool pool) {
        this.pool = pool;
    }

    /**
     * @param unit     minute, hour or day (date_trunc's unit)
     * @param timeZone IANA zone in which buckets are aligned
     */
    public Uni<List<BucketRow>> trend(String projectId, String event, Instant from, Instant to, String unit,
            String timeZone) {
        Tuple args = Tuple.tuple().addString(projectId).addString(event).addOffsetDateTime(utc(from))
                .addString(unit).addString(timeZone).addOffsetDateTime(utc(to));
        return pool().preparedQuery(TREND).execute(args).map(rows -> {
            List<BucketRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new BucketRow(instant(row, "bucket"), count(row, "events"), count(row, "persons")));
            }
            return out;
        });
    }

    public Uni<List<ValueBucketRow>> breakdown(String projectId, String event, Instant from, Instant to, String unit,
            String timeZone, String dimension, int top) {
        Tuple args = Tuple.tuple().addString(projectId).addString(event).addOffsetDateTime(utc(from))
                .addString(unit).addString(timeZone).addOffsetDateTime(utc(to)).addString(dimension)
                .addInteger(top);
        return pool().preparedQuery(BREAKDOWN).execute(args).map(rows -> {
            List<ValueBucketRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new ValueBucketRow(instant(row, "bucket"), row.getString("value"), count(row, "events"),
                        count(row, "persons")));
            }
            return out;
        });
    }

    public Uni<List<ValueRow>> top(String projectId, String eventOrNull, String dimension, Instant from, Instant to,
            int limit) {
        Tuple args = Tuple.tuple().addString(projectId).addString(eventOrNull).addString(dimension)
                .addOffsetDateTime(utc(from)).addOffsetDateTime(utc(to)).addInteger(limit);
        return pool().preparedQuery(TOP).execute(args).map(rows -> {
            List<ValueRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new ValueRow(row.getString("value"), count(row, "events"), count(row, "persons")));
            }
            return out;
        });
    }

    private Pool pool() {
        return pool.get();
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static long count(Row row, String column) {
        Long n = row.getLong(column);
        return n == null ? 0 : n;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
