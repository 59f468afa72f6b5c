package io.pulse.query.storage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Which rollups answer which part of a range [from, to): minutes for [from, hourFrom), hours for
 * [hourFrom, dayFrom), days for [dayFrom, dayTo), hours for [dayTo, hourTo) and minutes for [hourTo, to). Hours
 * and days are those of UTC. An unused coarser level collapses onto the range's end (or onto hourTo).
 *
 * <p>A coarser rollup may stand in only where each of its rows lies inside one bucket: never for minute buckets,
 * hours only in time zones off UTC by whole hours throughout the range (not India, Nepal, parts of Australia),
 * days only for day buckets in UTC. A total over the range has no buckets: {@link #forTotal} uses all levels.
 */
public record RollupSpan(Instant hourFrom, Instant dayFrom, Instant dayTo, Instant hourTo) {

    private static final long HOUR_SECONDS = 3600;

    /**
     * @param unit the buckets' unit (minute, hour or day)
     * @param zone the time zone the buckets are aligned in
     */
    public static RollupSpan of(Instant from, Instant to, String unit, ZoneId zone) {
        if ("minute".equals(unit) || !offsetsAreMultiplesOf(zone, HOUR_SECONDS, from, to)) {
            return new RollupSpan(to, to, to, to);
        }
        Instant hourFrom = ceil(from, ChronoUnit.HOURS);
        Instant hourTo = to.truncatedTo(ChronoUnit.HOURS);
        if (!hourFrom.isBefore(hourTo)) {
            return new RollupSpan(to, to, to, to);
        }
        if (!"day".equals(unit) || !offsetsAreMultiplesOf(zone, 86_400, from, to)) {
            return new RollupSpan(hourFrom, hourTo, hourTo, hourTo);
        }
        Instant dayFrom = ceil(hourFrom, ChronoUnit.DAYS);
        Instant dayTo = hourTo.truncatedTo(ChronoUnit.DAYS);
        return dayFrom.isBefore(dayTo) ? new RollupSpan(hourFrom, dayFrom, dayTo, hourTo)
                : new RollupSpan(hourFrom, hourTo, hourTo, hourTo);
    }

    /** For one number over the whole range: the coarsest rows that fit, whatever the buckets are. */
    public static RollupSpan forTotal(Instant from, Instant to) {
        return of(from, to, "day", ZoneOffset.UTC);
    }

    public boolean usesHours() {
        return hourFrom.isBefore(hourTo);
    }

    public boolean usesDays() {
        return dayFrom.isBefore(dayTo);
    }

    private static Instant ceil(Instant instant, ChronoUnit unit) {
        Instant floor = instant.truncatedTo(unit);
        return floor.equals(instant) ? floor : floor.plus(1, unit);
    }

    static boolean offsetsAreMultiplesOf(ZoneId zone, long seconds, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (rules.getOffset(from).getTotalSeconds() % seconds != 0) {
            return false;
        }
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
                t = rules.nextTransition(t.getInstant())) {
            if (t.getOffsetAfter().getTotalSeconds() % seconds != 0) {
                return false;
            }
        }
        return true;
    }
}
