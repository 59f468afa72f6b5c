package io.pulse.query.service;

import io.pulse.query.config.QueryConfig;
import io.pulse.query.storage.EventRepository;
import io.pulse.query.storage.EventRepository.CohortRow;
import io.pulse.shared.http.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Retention triangles: persons are in the cohort of the day (or ISO week, from Monday) of their first start
 * event in the range; they count in period k when they did the return event k days (weeks) after their cohort
 * began, before the range ends. Period 0 is the cohort's size.
 */
@ApplicationScoped
public class RetentionService {

    private final EventRepository events;
    private final QueryConfig config;

    public RetentionService(EventRepository events, QueryConfig config) {
        this.events = events;
        this.config = config;
    }

    public record RetentionQuery(String startEvent, String returnEvent, String interval, ZoneId zone, Instant start,
            Instant to, boolean open) {
    }

    /** @param returned persons per period, index 0 = the cohort; @param rates the same as fractions of it */
    public record Cohort(Instant start, long persons, List<Long> returned, List<Double> rates) {
    }

    public record Retention(String startEvent, String returnEvent, String interval, String timezone, Instant from,
            Instant to, List<Cohort> cohorts) {
    }

    public RetentionQuery parse(String startEvent, String returnEvent, String interval, String tz, String from,
            String to) {
        String start = Params.name("start", startEvent);
        String ret = returnEvent == null || returnEvent.isEmpty() ? start : Params.name("return", returnEvent);
        String unit = interval == null || interval.isBlank() ? "day" : interval.trim().toLowerCase(Locale.ROOT);
        if (!unit.equals("day") && !unit.equals("week")) {
            throw new ApiException(400, "invalid_parameter", "interval", "interval must be day or week");
        }
        ZoneId zone = Params.zone(tz);
        Params.Range range = Params.range(from, to, Duration.ofDays(unit.equals("day") ? 7 : 56),
                Duration.ofDays(config.maxRangeDays()));
        return new RetentionQuery(start, ret, unit, zone, floor(range.from(), unit, zone), range.to(), range.open());
    }

    public Uni<Retention> retention(String projectId, RetentionQuery q) {
        int days = q.interval().equals("day") ? 1 : 7;
        return events.retention(projectId, q.startEvent(), q.returnEvent(), q.interval(), q.zone().getId(),
                q.start(), q.to(), days).map(rows -> {
                    Map<Instant, Map<Integer, Long>> byCohort = new HashMap<>();
                    for (CohortRow row : rows) {
                        byCohort.computeIfAbsent(row.cohort(), c -> new HashMap<>()).put(row.period(), row.persons());
                    }
                    List<Cohort> cohorts = new ArrayList<>();
                    for (Instant c = q.start(); c.isBefore(q.to()); c = plus(c, 1, q)) {
                        Map<Integer, Long> periods = byCohort.getOrDefault(c, Map.of());
                        long size = periods.getOrDefault(0, 0L);
                        List<Long> returned = new ArrayList<>();
                        List<Double> rates = new ArrayList<>();
                        for (int k = 0; plus(c, k, q).isBefore(q.to()); k++) {
                            long n = periods.getOrDefault(k, 0L);
                            returned.add(n);
                            rates.add(FunnelService.ratio(n, size));
                        }
                        cohorts.add(new Cohort(c, size, returned, rates));
                    }
                    return new Retention(q.startEvent(), q.returnEvent(), q.interval(), q.zone().getId(), q.start(),
                            q.to(), cohorts);
                });
    }

    private static Instant plus(Instant cohort, int periods, RetentionQuery q) {
        ZonedDateTime local = ZonedDateTime.ofInstant(cohort, q.zone());
        return (q.interval().equals("day") ? local.plusDays(periods) : local.plusWeeks(periods)).toInstant();
    }

    private static Instant floor(Instant instant, String unit, ZoneId zone) {
        ZonedDateTime day = ZonedDateTime.ofInstant(instant, zone).truncatedTo(ChronoUnit.DAYS);
        if (unit.equals("week")) {
            day = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        }
        return day.toInstant();
    }
}
