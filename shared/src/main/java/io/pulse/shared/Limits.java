package io.pulse.shared;

import java.time.Duration;

/** Limits every stage agrees on. nginx's body limits mirror the byte limits here. */
public final class Limits {

    /** One event, as JSON. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    /** One request body after decompression (batch or single). */
    public static final int MAX_REQUEST_BYTES = 500 * 1024;
    /** Events in one batch request; SDKs flush at 100-500, so more is a bug or an attack. */
    public static final int MAX_BATCH_EVENTS = 2_000;
    public static final int MAX_MESSAGE_ID_LENGTH = 100;
    /** Event names, page/screen names, distinct ids, group ids. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Nesting depth of properties and traits (an object directly under properties is depth 2). */
    public static final int MAX_PROPERTY_DEPTH = 10;
    /** Events stamped further ahead than this (after skew correction) are dead-lettered. */
    public static final Duration MAX_FUTURE = Duration.ofHours(24);
    /** How long a messageId is remembered for deduplication of client retries. */
    public static final Duration DEDUP_WINDOW = Duration.ofHours(24);

    private Limits() {
    }
}
