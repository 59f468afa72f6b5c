package io.pulse.query.service;

import io.pulse.query.config.QueryConfig;
import io.pulse.query.storage.RollupRepository;
import io.pulse.query.storage.RollupRepository.BucketRow;
import io.pulse.query.storage.RollupRepository.ValueBucketRow;
import io.pulse.query.storage.RollupRepository.ValueRow;
import io.pulse.shared.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts and unique persons of one event per bucket, and top dimension values, from the minute rollups. */
@ApplicationScoped
public class TrendService {

    private final RollupRepository rollups;
    private final QueryConfig config;

    public TrendService(RollupRepository rollups, QueryConfig config) {
        this.rollups = rollups;
        this.config = config;
    }

    /** A trend's checked parameters; also its cache key. */
    public record TrendQuery(String event, Instant from, Instant to, Interval interval, ZoneId zone, Instant start,
            String breakdown, int top, boolean open) {
    }

    public TrendQuery parse(String event, String fromText, String toText, String intervalText, String tzText,
            String breakdownText, String limitText) {
        Params.name("event", event);
        Interval interval = Interval.parse(intervalText);
        ZoneId zone = Params.zone(tzText);
        Params.Range range = Params.range(fromText, toText, Duration.ofHours(1), null);
        if (interval.approximateBuckets(range.from(), range.to()) > config.maxBuckets()) {
            throw new ApiException(400, "too_many_buckets", "interval",
                    "the range holds more than " + config.maxBuckets() + " " + interval.sqlUnit() + " buckets");
        }
        String breakdown = breakdownText == null || breakdownText.isEmpty() ? null
                : Params.dimension("breakdown", breakdownText);
        int top = Params.limit("limit", limitText, 5, 20);
        return new TrendQuery(event, range.from(), range.to(), interval, zone, interval.floor(range.from(), zone),
                breakdown, top, range.open());
    }

    public Uni<Trend> trend(String projectId, TrendQuery q) {
        Uni<Trend> plain = rollups.trend(projectId, q.event(), q.start(), q.to(), q.interval().sqlUnit(),
                q.zone().getId()).map(rows -> assemble(projectId, q, rows));
        if (q.breakdown() == null) {
            return plain;
        }
        return plain.chain(trend -> rollups.breakdown(projectId, q.event(), q.start(), q.to(),
                q.interval().sqlUnit(), q.zone().getId(), q.breakdown(), q.top())
                .map(rows -> trend.withBreakdown(breakdown(q, rows))));
    }

    public record TopValues(String dimension, String event, Instant from, Instant to, List<ValueRow> values) {
    }

    public record TopQuery(String dimension, String event, Instant from, Instant to, int limit, boolean open) {
    }

    public TopQuery parseTop(String dimension, String event, String fromText, String toText, String limitText) {
        String d = Params.dimension("dimension", dimension);
        String e = Params.optionalName("event", event);
        Params.Range range = Params.range(fromText, toText, Duration.ofDays(1), Duration.ofDays(config.maxRangeDays()));
        return new TopQuery(d, e, range.from(), range.to(), Params.limit("limit", limitText, 10, 100), range.open());
    }

    public Uni<TopValues> top(String projectId, TopQuery q) {
        return rollups.top(projectId, q.event(), q.dimension(), q.from(), q.to(), q.limit())
                .map(rows -> new TopValues(q.dimension(), q.event(), q.from(), q.to(), rows));
    }

    private static Trend assemble(String projectId, TrendQuery q, List<BucketRow> rows) {
        Map<Instant, BucketRow> byBucket = new HashMap<>();
        Trend.Totals totals = new Trend.Totals(0, 0);
        for (BucketRow row : rows) {
            if (row.bucket() == null) {
                totals = new Trend.Totals(row.events(), row.persons());
            } else {
                byBucket.put(row.bucket(), row);
            }
        }
        List<Trend.Point> series = zeroFilled(q, byBucket);
        return new Trend(projectId, q.event(), q.interval().sqlUnit(), q.zone().getId(), q.start(), q.to(), totals,
                series, null);
    }

    private static Trend.Breakdown breakdown(TrendQuery q, List<ValueBucketRow> rows) {
        // Key "" stands for "other" (null in SQL); real values are never blank (the aggregator drops blanks).
        Map<String, Map<Instant, BucketRow>> buckets = new LinkedHashMap<>();
        Map<String, Trend.Totals> totals = new HashMap<>();
        for (ValueBucketRow row : rows) {
            String key = row.value() == null ? "" : row.value();
            if (row.bucket() == null) {
                totals.put(key, new Trend.Totals(row.events(), row.persons()));
            } else {
                buckets.computeIfAbsent(key, k -> new HashMap<>())
                        .put(row.bucket(), new BucketRow(row.bucket(), row.events(), row.persons()));
            }
        }
        List<Trend.ValueSeries> values = new ArrayList<>();
        totals.entrySet().stream()
                .filter(e -> !e.getKey().isEmpty())
                .sorted(Comparator.<Map.Entry<String, Trend.Totals>>comparingLong(e -> -e.getValue().events())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> values.add(new Trend.ValueSeries(e.getKey(), false, e.getValue(),
                        zeroFilled(q, buckets.getOrDefault(e.getKey(), Map.of())))));
        if (totals.containsKey("")) {
            values.add(new Trend.ValueSeries("other", true, totals.get(""),
                    zeroFilled(q, buckets.getOrDefault("", Map.of()))));
        }
        return new Trend.Breakdown(q.breakdown(), values);
    }

    private static List<Trend.Point> zeroFilled(TrendQuery q, Map<Instant, BucketRow> byBucket) {
        List<Trend.Point> series = new ArrayList<>();
        for (Instant bucket = q.start(); bucket.isBefore(q.to()); bucket = q.interval().next(bucket, q.zone())) {
            BucketRow row = byBucket.get(bucket);
            series.add(new Trend.Point(bucket, row == null ? 0 : row.events(), row == null ? 0 : row.persons()));
        }
        return series;
    }
}
