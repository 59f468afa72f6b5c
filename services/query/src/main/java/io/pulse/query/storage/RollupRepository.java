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
 * Reads the rollups; never the raw events. Each part of a range is read from the coarsest rollups that fit it
 * (see {@link RollupSpan}): a 30-day chart by hour reads 720 hour rows per series rather than 43,200 minutes, and
 * its total 30 day rows.
 */
@ApplicationScoped
public class RollupRepository {

    /**
     * Buckets of the range, then (bucket null) the total. A bucket that is one hour or day row takes the count
     * stored with it; only buckets of several rows merge sketches (a full sketch costs ~125 µs to count and
     * ~250 µs to merge, so this is most of a chart's time).
     */
    private static final String TREND = """
            WITH buckets AS (
                SELECT date_trunc($4, at, $5) AS bucket, events, persons, estimate,
                       count(*) OVER (PARTITION BY date_trunc($4, at, $5)) AS rows_in_bucket
                  FROM (%s) AS r
            ), totals AS (%s)
            SELECT bucket, events, coalesce(estimate, round(hll_cardinality(persons))::bigint) AS persons
              FROM buckets WHERE rows_in_bucket = 1
            UNION ALL
            SELECT bucket, sum(events)::bigint, round(hll_cardinality(hll_union_agg(persons)))::bigint
              FROM buckets WHERE rows_in_bucket > 1 GROUP BY bucket
            UNION ALL
            SELECT null, sum(events)::bigint, round(hll_cardinality(hll_union_agg(persons)))::bigint FROM totals
             ORDER BY 1 NULLS FIRST
            """.formatted(eventRollupsOf("$3", "$6", "$7", "$8", "$9", "$10"),
            eventRollupsOf("$3", "$6", "$11", "$12", "$13", "$14"));

    /**
     * One event's rollup rows of [from, to) as (at, events, persons, estimate), from five index range scans (an
     * OR would scan every minute): minutes, hours, days, hours, minutes (see {@link RollupSpan}).
     */
    private static String eventRollupsOf(String from, String to, String hourFrom, String dayFrom, String dayTo,
            String hourTo) {
        return """
                SELECT minute AS at, events, persons, null::bigint AS estimate FROM rollup_event_minute
                 WHERE project_id = $1 AND event_name = $2 AND minute >= %1$s AND minute < %3$s
                UNION ALL
                SELECT hour, events, persons, persons_estimate FROM rollup_event_hour
                 WHERE project_id = $1 AND event_name = $2 AND hour >= %3$s AND hour < %4$s
                UNION ALL
                SELECT day, events, persons, persons_estimate FROM rollup_event_day
                 WHERE project_id = $1 AND event_name = $2 AND day >= %4$s AND day < %5$s
                UNION ALL
                SELECT hour, events, persons, persons_estimate FROM rollup_event_hour
                 WHERE project_id = $1 AND event_name = $2 AND hour >= %5$s AND hour < %6$s
                UNION ALL
                SELECT minute, events, persons, null FROM rollup_event_minute
                 WHERE project_id = $1 AND event_name = $2 AND minute >= %6$s AND minute < %2$s
                """.formatted(from, to, hourFrom, dayFrom, dayTo, hourTo);
    }

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
            """.formatted(dimensionRollupsOf("event_name = $2 AND dimension = $10", "$3", "$6", "$7", "$11", "$12",
            "$8"));

    /**
     * Names of the events in the range: one event, or (when $2 is null) each the project has. The rollups' keys lead
     * with the event name, so every scan below takes one index range per name; "any event" as a mere filter would
     * read all the project's minute rows of the dimension, whatever the range (a month's top paths took 20 s).
     * Day rows list every name: the aggregator writes a minute's day row in the same statement as the minute.
     */
    private static final String EVENT_NAMES = """
            SELECT array_agg(DISTINCT event_name) AS names FROM rollup_event_day
             WHERE project_id = $1 AND ($2::text IS NULL OR event_name = $2)
               AND day >= date_trunc('day', $4::timestamptz, 'UTC') AND day < $5""";

    private static final String TOP_FILTER = "event_name = ANY((SELECT names FROM event_names)::text[]) AND dimension = $3";

    /**
     * Top values of a dimension, for one event or all events. Values are ranked by their events first (no sketch
     * read), and persons are counted for the top ones only: merging sketches is the expensive part.
     */
    private static final String TOP = """
            WITH event_names AS (%s), top AS (
                SELECT value, sum(events)::bigint AS events FROM (%s) AS r
                 GROUP BY value ORDER BY 2 DESC, value LIMIT $6)
            SELECT t.value, t.events,
                   (SELECT round(hll_cardinality(hll_union_agg(r.persons)))::bigint FROM (%s) AS r) AS persons
              FROM top t
             ORDER BY 2 DESC, 1
            """.formatted(EVENT_NAMES, dimensionRollupsOf(TOP_FILTER, "$4", "$5", "$7", "$9", "$10", "$8"),
            dimensionRollupsOf(TOP_FILTER + " AND value = t.value", "$4", "$5", "$7", "$9", "$10", "$8"));

    /**
     * Dimension rollup rows of [from, to) as (at, value, events, persons), from five index range scans like
     * {@link #eventRollupsOf}.
     */
    private static String dimensionRollupsOf(String filter, String from, String to, String hourFrom, String dayFrom,
            String dayTo, String hourTo) {
        return """
                SELECT minute AS at, value, events, persons FROM rollup_dimension_minute
                 WHERE project_id = $1 AND %1$s AND minute >= %2$s AND minute < %4$s
                UNION ALL
                SELECT hour, value, events, persons FROM rollup_dimension_hour
                 WHERE project_id = $1 AND %1$s AND hour >= %4$s AND hour < %5$s
                UNION ALL
                SELECT day, value, events, persons FROM rollup_dimension_day
                 WHERE project_id = $1 AND %1$s AND day >= %5$s AND day < %6$s
                UNION ALL
                SELECT hour, value, events, persons FROM rollup_dimension_hour
                 WHERE project_id = $1 AND %1$s AND hour >= %6$s AND hour < %7$s
                UNION ALL
                SELECT minute, value, events, persons FROM rollup_dimension_minute
                 WHERE project_id = $1 AND %1$s AND minute >= %7$s AND minute < %3$s
                """.formatted(filter, from, to, hourFrom, dayFrom, dayTo, hourTo);
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
        RollupSpan buckets = RollupSpan.of(from, to, unit, ZoneId.of(timeZone));
        RollupSpan total = RollupSpan.forTotal(from, to);
        Tuple args = Tuple.tuple().addString(projectId).addString(event).addOffsetDateTime(utc(from))
                .addString(unit).addString(timeZone).addOffsetDateTime(utc(to));
        addSpan(args, buckets);
        addSpan(args, total);
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
        RollupSpan span = RollupSpan.of(from, to, unit, ZoneId.of(timeZone));
        Tuple args = Tuple.tuple().addString(projectId).addString(event).addOffsetDateTime(utc(from))
                .addString(unit).addString(timeZone).addOffsetDateTime(utc(to))
                .addOffsetDateTime(utc(span.hourFrom())).addOffsetDateTime(utc(span.hourTo()))
                .addInteger(top).addString(dimension)
                .addOffsetDateTime(utc(span.dayFrom())).addOffsetDateTime(utc(span.dayTo()));
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
        RollupSpan span = RollupSpan.forTotal(from, to);
        Tuple args = Tuple.tuple().addString(projectId).addString(eventOrNull).addString(dimension)
                .addOffsetDateTime(utc(from)).addOffsetDateTime(utc(to)).addInteger(limit)
                .addOffsetDateTime(utc(span.hourFrom())).addOffsetDateTime(utc(span.hourTo()))
                .addOffsetDateTime(utc(span.dayFrom())).addOffsetDateTime(utc(span.dayTo()));
        return pool().preparedQuery(TOP).execute(args).map(rows -> {
            List<ValueRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new ValueRow(row.getString("value"), count(row, "events"), count(row, "persons")));
            }
            return out;
        });
    }

    private static void addSpan(Tuple args, RollupSpan span) {
        args.addOffsetDateTime(utc(span.hourFrom())).addOffsetDateTime(utc(span.dayFrom()))
                .addOffsetDateTime(utc(span.dayTo())).addOffsetDateTime(utc(span.hourTo()));
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
