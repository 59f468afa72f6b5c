package io.pulse.enricher.service;

import io.pulse.enricher.storage.SessionState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Splits a distinct id's events into sessions by event time: a gap longer than the timeout starts a new one.
 * A late event (older than the latest seen) joins the current session and does not move its clock back.
 */
public final class Sessionizer {

    /** The session an event belongs to, the state after it, and whether it opened the session. */
    public record Assignment(SessionState state, boolean start) {
    }

    private final long timeoutMillis;

    public Sessionizer(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * @param previous  the distinct id's state before this event, or null
     * @param eventTime event time in epoch milliseconds
     * @param seed      what makes the session id: project, distinct id and messageId of the opening event, so
     *                  that reprocessing from the same state gives the same id
     */
    public Assignment next(SessionState previous, long eventTime, String seed) {
        if (previous != null && eventTime - previous.lastEventMillis() <= timeoutMillis) {
            return new Assignment(new SessionState(previous.sessionId(),
                    Math.max(previous.lastEventMillis(), eventTime)), false);
        }
        String sessionId = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
        return new Assignment(new SessionState(sessionId, eventTime), true);
    }
}
