package io.pulse.query.service;

import io.pulse.shared.Dimensions;

import io.pulse.shared.Limits;
import io.pulse.shared.http.ApiException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks of query parameters shared by every endpoint; each refusal is a 400 naming the parameter. */
public final class Params {


    private Params() {
    }

    /** A time range; {@code open} when it reaches into the last minute, where data may still arrive. */
    public record Range(Instant from, Instant to, boolean open) {
    }

    public static String name(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new ApiException(400, "missing_parameter", parameter, parameter + " is required");
        }
        if (value.length() > Limits.MAX_NAME_LENGTH) {
            throw new ApiException(400, "invalid_parameter", parameter,
                    parameter + " is longer than " + Limits.MAX_NAME_LENGTH + " characters");
        }
        return value;
    }

    public static String optionalName(String parameter, String value) {
        return value == null || value.isEmpty() ? null : name(parameter, value);
    }

    public static String dimension(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new ApiException(400, "missing_parameter", parameter,
                    parameter + " is required, one of " + String.join(", ", Dimensions.ALL));
        }
        String d = value.trim().toLowerCase(Locale.ROOT);
        if (!Dimensions.ALL.contains(d)) {
            throw new ApiException(400, "invalid_parameter", parameter,
                    parameter + " must be one of " + String.join(", ", Dimensions.ALL));
        }
        return d;
    }

    public static int limit(String parameter, String value, int defaultValue, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ApiException(400, "invalid_parameter", parameter,
                parameter + " must be a whole number from 1 to " + max);
    }

    public static ZoneId zone(String tz) {
        if (tz == null || tz.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw new ApiException(400, "invalid_parameter", "tz", "tz must be an IANA time zone such as Europe/Paris");
        }
    }

    public static Instant instant(String parameter, String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text.trim()));
            } catch (NumberFormatException notMillis) {
                throw new ApiException(400, "invalid_parameter", parameter,
                        parameter + " must be an ISO-8601 date-time (2026-12-03T10:00:00Z) or epoch milliseconds");
            }
        }
    }

    /** {@code from}/{@code to} with defaults (to: now, from: {@code to - defaultLength}), at most {@code max} long. */
    public static Range range(String fromText, String toText, Duration defaultLength, Duration max) {
        Instant now = Instant.now();
        // Without "to", the range ends with the current second: the same query within a second is the same key.
        Instant to = toText == null || toText.isBlank() ? now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)
                : instant("to", toText);
        Instant from = fromText == null || fromText.isBlank() ? to.minus(defaultLength) : instant("from", fromText);
        if (!from.isBefore(to)) {
            throw new ApiException(400, "invalid_range", "from", "from must be before to");
        }
        if (max != null && Duration.between(from, to).compareTo(max) > 0) {
            throw new ApiException(400, "range_too_long", "from", "the range may be at most " + max.toDays() + " days");
        }
        return new Range(from, to, to.isAfter(now.minusSeconds(60)));
    }

    public static Duration duration(String parameter, String text, Duration defaultValue, Duration max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        Duration d;
        try {
            d = Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "invalid_parameter", parameter,
                    parameter + " must be an ISO-8601 duration such as PT1H or P1D");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
            throw new ApiException(400, "invalid_parameter", parameter,
                    parameter + " must be positive and at most " + max.toDays() + " days");
        }
        return d;
    }

    /** A comma-separated list of names: {@code steps=Signed Up,Activated,Purchased}. */
    public static List<String> names(String parameter, String text, int min, int max) {
        if (text == null || text.isBlank()) {
            throw new ApiException(400, "missing_parameter", parameter, parameter + " is required (comma-separated)");
        }
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            out.add(name(parameter, part.trim()));
        }
        if (out.size() < min || out.size() > max) {
            throw new ApiException(400, "invalid_parameter", parameter,
                    parameter + " must list from " + min + " to " + max + " names");
        }
        return out;
    }
}
