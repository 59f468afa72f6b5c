package io.pulse.query.storage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The part [from, to) of a range that hour rollups (hours of UTC) can answer; minute rollups answer the rest. An
 * empty span sits at the range's end. Hours cannot stand in for minutes when buckets are minutes, or when the
 * buckets' time zone is off UTC by a fraction of an hour (India, Nepal, parts of Australia) at any time in the
 * range: an hour of UTC would then straddle two of its buckets.
 */
public record HourSpan(Instant from, Instant to) {

    private static final long HOUR_SECONDS = 3600;

    /**
     * @param unit the buckets' unit (minute, hour or day)
     * @param zone the time zone the buckets are aligned in
     */
    public static HourSpan of(Instant rangeFrom, Instant rangeTo, String unit, ZoneId zone) {
        if ("minute".equals(unit) || !wholeHourOffsets(zone, rangeFrom, rangeTo)) {
            return new HourSpan(rangeTo, rangeTo);
        }
        Instant first = rangeFrom.truncatedTo(ChronoUnit.HOURS);
        if (first.isBefore(rangeFrom)) {
            first = first.plus(1, ChronoUnit.HOURS);
        }
        Instant last = rangeTo.truncatedTo(ChronoUnit.HOURS);
        return first.isBefore(last) ? new HourSpan(first, last) : new HourSpan(rangeTo, rangeTo);
    }

    public boolean isEmpty() {
        return !from.isBefore(to);
    }

    static boolean wholeHourOffsets(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (!wholeHours(rules.getOffset(from))) {
            return false;
        }
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
                t = rules.nextTransition(t.getInstant())) {
            if (!wholeHours(t.getOffsetAfter())) {
                return false;
            }
        }
        return true;
    }

    private static boolean wholeHours(ZoneOffset offset) {
        return offset.getTotalSeconds() % HOUR_SECONDS == 0;
    }
}
