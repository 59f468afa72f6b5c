package io.pulse.query.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads raw events for what rollups cannot answer: funnels, retention and person timelines. Every query is
 * bounded by constant times (so PostgreSQL prunes day partitions) and walks the (project, person, time) index.
 * Bot events are left out, as in the rollups.
 */
@ApplicationScoped
public class EventRepository {

    /** Persons reaching step k, and the median seconds from step k-1; {@code median} is null for step 1. */
    public record StepRow(int step, long persons, Double medianSeconds) {
    }

    public record CohortRow(Instant cohort, int period, long persons) {
    }

    public record EventRow(Instant time, String event, String type, String messageId, String payload) {
    }

    private static final String RETENTION = """
            WITH cohort AS (
                SELECT person_id, date_trunc($4, min(event_time), $5) AS c
                  FROM events
                 WHERE project_id = $1 AND event_name = $2 AND event_time >= $6 AND event_time < $7 AND NOT bot
                 GROUP BY person_id),
            ret AS (
                SELECT DISTINCT c.person_id, c.c,
                       ((date_trunc('day', e.event_time, $5) AT TIME ZONE $5)::date - (c.c AT TIME ZONE $5)::date) / $8
                           AS period
                  FROM cohort c
                  JOIN events e ON e.project_id = $1 AND e.person_id = c.person_id AND e.event_name = $3
                                AND e.event_time >= c.c AND e.event_time >= $6 AND e.event_time < $7 AND NOT e.bot)
            SELECT c AS cohort, 0 AS period, count(*)::bigint AS persons FROM cohort GROUP BY c
            UNION ALL
            SELECT c, period, count(*)::bigint FROM ret WHERE period >= 1 GROUP BY c, period
            """;

    private static final String TIMELINE = """
            SELECT event_time, event_name, type, message_id, payload::text AS payload
              FROM events
             WHERE project_id = $1 AND person_id = $2 AND event_time >= $3
             ORDER BY event_time DESC LIMIT $4
            """;

    private final ReadPool pool;

    public EventRepository(ReadPool pool) {
        this.pool = pool;
    }

    /**
     * A person enters at their first {@code steps[0]} in the range and reaches step k at the first {@code steps[k]}
     * at or after step k-1 (strictly after when it is the same event) and within {@code windowMillis} of entering.
     */
    public Uni<List<StepRow>> funnel(String projectId, List<String> steps, Instant from, Instant to,
            long windowMillis) {
        Tuple args = Tuple.tuple().addString(projectId).addOffsetDateTime(RollupRepository.utc(from))
                .addOffsetDateTime(RollupRepository.utc(to)).addLong(windowMillis);
        steps.forEach(args::addString);
        return pool.get().preparedQuery(funnelSql(steps)).execute(args).map(rows -> {
            List<StepRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new StepRow(row.getInteger("step"), row.getLong("persons"), row.getDouble("median")));
            }
            out.sort((a, b) -> Integer.compare(a.step(), b.step()));
            return out;
        });
    }

    /** Built from the number of steps only; every name is a parameter ($5, $6, ...). */
    static String funnelSql(List<String> steps) {
        StringBuilder sql = new StringBuilder("""
                WITH s1 AS (
                    SELECT person_id, min(event_time) AS t0, min(event_time) AS t
                      FROM events
                     WHERE project_id = $1 AND event_name = $5 AND event_time >= $2 AND event_time < $3 AND NOT bot
                     GROUP BY person_id)""");
        for (int k = 2; k <= steps.size(); k++) {
            String after = steps.get(k - 1).equals(steps.get(k - 2)) ? ">" : ">=";
            sql.append(",\ns").append(k).append(" AS (\n")
                    .append("    SELECT p.person_id, p.t0, p.t AS prev, x.t\n")
                    .append("      FROM s").append(k - 1).append(" p\n")
                    .append("      CROSS JOIN LATERAL (\n")
                    .append("        SELECT min(e.event_time) AS t FROM events e\n")
                    .append("         WHERE e.project_id = $1 AND e.person_id = p.person_id AND e.event_name = $")
                    .append(k + 4).append("\n")
                    .append("           AND e.event_time ").append(after).append(" p.t")
                    .append(" AND e.event_time <= p.t0 + $4 * interval '1 millisecond'\n")
                    // Constant bounds as well, so the planner prunes day partitions.
                    .append("           AND e.event_time >= $2 AND e.event_time <= $3::timestamptz + $4 * interval '1 millisecond'\n")
                    .append("           AND NOT e.bot) x\n")
                    .append("     WHERE x.t IS NOT NULL)");
        }
        sql.append("\nSELECT 1 AS step, count(*)::bigint AS persons, NULL::float8 AS median FROM s1");
        for (int k = 2; k <= steps.size(); k++) {
            sql.append("\nUNION ALL SELECT ").append(k).append(", count(*)::bigint, ")
                    .append("percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t - prev))::float8 FROM s")
                    .append(k);
        }
        return sql.toString();
    }

    /**
     * @param unit       day or week (date_trunc's unit)
     * @param periodDays 1 or 7
     */
    public Uni<List<CohortRow>> retention(String projectId, String startEvent, String returnEvent, String unit,
            String timeZone, Instant from, Instant to, int periodDays) {
        Tuple args = Tuple.tuple().addString(projectId).addString(startEvent).addString(returnEvent).addString(unit)
                .addString(timeZone).addOffsetDateTime(RollupRepository.utc(from))
                .addOffsetDateTime(RollupRepository.utc(to)).addInteger(periodDays);
        return pool.get().preparedQuery(RETENTION).execute(args).map(rows -> {
            List<CohortRow> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(new CohortRow(row.getOffsetDateTime("cohort").toInstant(), row.getInteger("period"),
                        row.getLong("persons")));
            }
            return out;
        });
    }

    public Uni<List<EventRow>> recentOfPerson(String projectId, String person, Instant since, int limit) {
        Tuple args = Tuple.of(projectId, person, RollupRepository.utc(since), limit);
        return pool.get().preparedQuery(TIMELINE).execute(args).map(rows -> {
            List<EventRow> out = new ArrayList<>();
            for (Row row : rows) {
                OffsetDateTime t = row.getOffsetDateTime("event_time");
                out.add(new EventRow(t.toInstant(), row.getString("event_name"), row.getString("type"),
                        row.getString("message_id"), row.getString("payload")));
            }
            return out;
        });
    }
}
