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

    /** One bucket's numbers; {@code bucket} is null for the totals. */
    public record BucketRow(Instant bucket, long events, long persons) {
    }

    private final Pool pool;

    public RollupRepository(Pool pool) {
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
        return pool.preparedQuery(TREND).execute(args).map(rows -> {
            List<BucketRow> out = new ArrayList<>();
            for (Row row : rows) {
                OffsetDateTime bucket = row.getOffsetDateTime("bucket");
                Long events = row.getLong("events");
                Long persons = row.getLong("persons");
                out.add(new BucketRow(bucket == null ? null : bucket.toInstant(), events == null ? 0 : events,
                        persons == null ? 0 : persons));
            }
            return out;
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
