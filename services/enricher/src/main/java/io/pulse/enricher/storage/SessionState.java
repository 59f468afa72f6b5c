package io.pulse.enricher.storage;

/** The current session of a distinct id and the event time of its latest event. */
public record SessionState(String sessionId, long lastEventMillis) {

    /** Redis value: {@code lastEventMillis:sessionId}. */
    String encode() {
        return lastEventMillis + ":" + sessionId;
    }

    /** Null for a missing or unreadable value: the next event then starts a session, which is harmless. */
    static SessionState decode(String value) {
        if (value == null) {
            return null;
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return null;
        }
        try {
            return new SessionState(value.substring(colon + 1), Long.parseLong(value.substring(0, colon)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
