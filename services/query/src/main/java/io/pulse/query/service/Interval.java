package io.pulse.query.service;

import io.pulse.shared.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Bucket sizes of a series. Day buckets follow the request's time zone (a day is not always 24 hours). */
public enum Interval {
    MINUTE(ChronoUnit.MINUTES), HOUR(ChronoUnit.HOURS), DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Interval(ChronoUnit unit) {
        this.unit = unit;
    }

    public static Interval parse(String text) {
        if (text == null || text.isBlank()) {
            return MINUTE;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_parameter", "interval", "interval must be minute, hour or day");
        }
    }

    /** date_trunc's unit name. */
    public String sqlUnit() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Instant floor(Instant instant, ZoneId zone) {
        return ZonedDateTime.ofInstant(instant, zone).truncatedTo(unit).toInstant();
    }

    public Instant next(Instant bucket, ZoneId zone) {
        return ZonedDateTime.ofInstant(bucket, zone).plus(1, unit).toInstant();
    }

    /** Approximate bucket count, to refuse huge ranges before doing any work. */
    public long approximateBuckets(Instant from, Instant to) {
        return Duration.between(from, to).toMinutes() / unit.getDuration().toMinutes() + 1;
    }
}
