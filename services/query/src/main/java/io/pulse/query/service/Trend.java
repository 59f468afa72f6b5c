package io.pulse.query.service;

import java.time.Instant;
import java.util.List;

/** A trend series as the API returns it: every bucket of the range, zero-filled. */
public record Trend(
        String projectId,
        String event,
        String interval,
        String timezone,
        Instant from,
        Instant to,
        Totals total,
        List<Point> series) {

    public record Totals(long events, long persons) {
    }

    public record Point(Instant time, long events, long persons) {
    }
}
