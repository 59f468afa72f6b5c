package io.pulse.query.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A trend series as the API returns it: every bucket of the range, zero-filled; a breakdown when asked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trend(
        String projectId,
        String event,
        String interval,
        String timezone,
        Instant from,
        Instant to,
        Totals total,
        List<Point> series,
        Breakdown breakdown) {

    public record Totals(long events, long persons) {
    }

    public record Point(Instant time, long events, long persons) {
    }

    /** The top values of one dimension, then (when there are more) {@code other: true} for the rest. */
    public record Breakdown(String dimension, List<ValueSeries> values) {
    }

    public record ValueSeries(String value, boolean other, Totals total, List<Point> series) {
    }

    public Trend withBreakdown(Breakdown b) {
        return new Trend(projectId, event, interval, timezone, from, to, total, series, b);
    }
}
