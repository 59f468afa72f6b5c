package io.pulse.shared;

/**
 * Names of the Redis keys the aggregator writes and the query service reads (formats documented in the
 * aggregator's HotData), and of the query cache. One place, because the names are the contract between them.
 */
public final class HotKeys {

    private HotKeys() {
    }

    /** Sorted set: person -> last-seen epoch millis. */
    public static String live(String projectId) {
        return "pulse:" + projectId + ":live";
    }

    /** Stream: the project's activity (fields event, person, json). */
    public static String stream(String projectId) {
        return "pulse:" + projectId + ":stream";
    }

    /** Stream: one person's activity (fields event, json). */
    public static String personStream(String projectId, String person) {
        return "pulse:" + projectId + ":person:" + person + ":stream";
    }

    /** HyperLogLog: persons seen in one minute. */
    public static String uniques(String projectId, long epochMinute) {
        return "pulse:" + projectId + ":uniques:" + epochMinute;
    }

    /** Sorted set: a person's recent items -> millis. */
    public static String recent(String projectId, String person) {
        return "pulse:" + projectId + ":recent:" + person;
    }

    /** Sorted set: other items -> times seen by the same person as this item. */
    public static String coOccurrence(String projectId, String item) {
        return "pulse:" + projectId + ":co:" + item;
    }

    /** Sorted set: items -> views in one hour. */
    public static String trending(String projectId, long epochHour) {
        return "pulse:" + projectId + ":trending:" + epochHour;
    }

    /** String: a cached query answer. */
    public static String queryCache(String projectId, String hash) {
        return "pulse:" + projectId + ":q:" + hash;
    }
}
