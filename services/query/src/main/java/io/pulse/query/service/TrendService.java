package io.pulse.query.service;

import io.pulse.query.config.QueryConfig;
import io.pulse.query.storage.RollupRepository;
import io.pulse.query.storage.RollupRepository.BucketRow;
import io.pulse.shared.Limits;
import io.pulse.shared.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts and unique persons of one event per bucket, from the minute rollups. */
@ApplicationScoped
public class TrendService {

    private final RollupRepository rollups;
    private final QueryConfig config;

    public TrendService(RollupRepository rollups, QueryConfig config) {
        this.rollups = rollups;
        this.config = config;
    }

    public Uni<Trend> trend(String projectId, String event, String fromText, String toText, String intervalText,
            String tzText) {
        if (event == null || event.isBlank()) {
            throw new ApiException(400, "missing_parameter", "event", "event is required");
        }
        if (event.length() > Limits.MAX_NAME_LENGTH) {
            throw new ApiException(400, "invalid_parameter", "event", "event is longer than "
                    + Limits.MAX_NAME_LENGTH + " characters");
        }
        Interval interval = Interval.parse(intervalText);
        ZoneId zone = zone(tzText);
        Instant to = toText == null ? Instant.now() : instant("to", toText);
        Instant from = fromText == null ? to.minus(Duration.ofHours(1)) : instant("from", fromText);
        if (!from.isBefore(to)) {
            throw new ApiException(400, "invalid_range", "from", "from must be before to");
        }
        if (interval.approximateBuckets(from, to) > config.maxBuckets()) {
            throw new ApiException(400, "too_many_buckets", "interval",
                    "the range holds more than " + config.maxBuckets() + " " + interval.sqlUnit() + " buckets");
        }
        Instant start = interval.floor(from, zone);
        return rollups.trend(projectId, event, start, to, interval.sqlUnit(), zone.getId())
                .map(rows -> assemble(projectId, event, interval, zone, start, to, rows));
    }

    private static Trend assemble(String projectId, String event, Interval interval, ZoneId zone, Instant start,
            Instant to, List<BucketRow> rows) {
        Map<Instant, BucketRow> byBucket = new HashMap<>();
        Trend.Totals totals = new Trend.Totals(0, 0);
        for (BucketRow row : rows) {
            if (row.bucket() == null) {
                totals = new Trend.Totals(row.events(), row.persons());
            } else {
                byBucket.put(row.bucket(), row);
            }
        }
        List<Trend.Point> series = new ArrayList<>();
        for (Instant bucket = start; bucket.isBefore(to); bucket = interval.next(bucket, zone)) {
            BucketRow row = byBucket.get(bucket);
            series.add(new Trend.Point(bucket, row == null ? 0 : row.events(), row == null ? 0 : row.persons()));
        }
        return new Trend(projectId, event, interval.sqlUnit(), zone.getId(), start, to, totals, series);
    }

    private static ZoneId zone(String tz) {
        if (tz == null || tz.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw new ApiException(400, "invalid_parameter", "tz", "tz must be an IANA time zone such as Europe/Paris");
        }
    }

    private static Instant instant(String name, String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text.trim()));
            } catch (NumberFormatException notMillis) {
                throw new ApiException(400, "invalid_parameter", name,
                        name + " must be an ISO-8601 date-time (2026-12-03T10:00:00Z) or epoch milliseconds");
            }
        }
    }
}
