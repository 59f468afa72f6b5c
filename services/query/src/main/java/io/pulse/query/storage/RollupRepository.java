package io.pulse.query.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rollups; never the raw events. Hour rollups cover the whole hours of a range and minute rollups its
 * edges, so a 30-day chart reads 720 rows per series rather than 43,200 (see {@link HourSpan}).
 */
@ApplicationScoped
public class RollupRepository {

    /** Buckets of the range and, in the row whose bucket is null, the totals (GROUPING SETS). */
    private static final String TREND = """
            WITH rollups AS (%s)
            SELECT date_trunc($4, at, $5) AS bucket,
                   sum(events)::bigint AS events,
                   round(hll_cardinality(hll_union_agg(persons)))::bigint AS persons
              FROM rollups
             GROUP BY GROUPING SETS ((1), ())
             ORDER BY 1 NULLS FIRST
            """.formatted(rollupsOf("event", "event_name = $2", "$3", "$6", "$7", "$8"));

    /**
     * One dimension's top values ($9 of them) per bucket, everything else folded into the null value ("other");
     * rows with a null bucket are each series' totals.
     */
    private static final String BREAKDOWN = """
            WITH rollups AS (%s), top AS (
                SELECT value FROM rollups GROUP BY value ORDER BY sum(events) DESC, value LIMIT $9)
            SELECT date_trunc($4, d.at, $5) AS bucket, top.value AS value,
                   sum(d.events)::bigint AS events,
                   round(hll_cardinality(hll_union_agg(d.persons)))::bigint AS persons
              FROM rollups d LEFT JOIN top ON top.value = d.value
             GROUP BY GROUPING SETS ((1, 2), (2))
            """.formatted(rollupsOf("dimension", "event_name = $2 AND dimension = $10", "$3", "$6",
            "$7", "$8"));

    /** Top values of a dimension, for one event or (when $2 is null) all events. */
    private static final String TOP = """
            WITH rollups AS (%s)
            SELECT value, sum(events)::bigint AS events,
                   round(hll_cardinality(hll_union_agg(persons)))::bigint AS persons
              FROM rollups
             GROUP BY value ORDER BY 2 DESC, value LIMIT $6
            """.formatted(rollupsOf("dimension", "($2::text IS NULL OR event_name = $2) AND dimension = $3",
            "$4", "$5", "$7", "$8"));

    /**
     * The rollup rows of [from, to) as (at, value, events, persons): minutes of [from, hourFrom), hours of
     * [hourFrom, hourTo), minutes of [hourTo, to). Three index range scans; an OR would scan every minute.
     */
    private static String rollupsOf(String kind, String filter, String from, String to, String hourFrom,
            String hourTo) {
        String columns = ("event".equals(kind) ? "null::text AS value" : "value") + ", events, persons";
        return """
                SELECT minute AS at, %1$s FROM rollup_%2$s_minute
                 WHERE project_id = $1 AND %3$s AND minute >= %4$s AND minute < %6$s
                UNION ALL
                SELECT hour, %1$s FROM rollup_%2$s_hour
                 WHERE project_id = $1 AND %3$s AND hour >= %6$s AND hour < %7$s
                UNION ALL
                SELECT minute, %1$s FROM rollup_%2$s_minute
                 WHERE project_id = $1 AND %3$s AND minute >= %7$s AND minute < %5$s
                """.formatted(columns, kind, filter, from, to, hourFrom, hourTo);
    }

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
        HourSpan hours = HourSpan.of(from, to, unit, ZoneId.of(timeZone));
        Tuple args = Tuple.tuple().addString(projectId).addString(event).addOffsetDateTime(utc(from))
                .addString(unit).addString(timeZone).addOffsetDateTime(utc(to))
                .addOffsetDateTime(utc(hours.from())).addOffsetDateTime(utc(hours.to()));
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
        HourSpan hours = HourSpan.of(from, to, unit, ZoneId.of(timeZone));
        Tuple args = Tuple.tuple().addString(projectId).addString(event).addOffsetDateTime(utc(from))
                .addString(unit).addString(timeZone).addOffsetDateTime(utc(to))
                .addOffsetDateTime(utc(hours.from())).addOffsetDateTime(utc(hours.to()))
                .addInteger(top).addString(dimension);
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
        HourSpan hours = HourSpan.of(from, to, "hour", ZoneOffset.UTC);
        Tuple args = Tuple.tuple().addString(projectId).addString(eventOrNull).addString(dimension)
                .addOffsetDateTime(utc(from)).addOffsetDateTime(utc(to)).addInteger(limit)
                .addOffsetDateTime(utc(hours.from())).addOffsetDateTime(utc(hours.to()));
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
