package io.pulse.query.storage;

/**
 * Names of the hot-data keys the aggregator writes (io.pulse.aggregator.service.HotData, which documents their
 * formats) and of this service's cache entries. Kept in step with HotData by hand: they are the contract.
 */
public final class HotKeys {

    private HotKeys() {
    }

    public static String live(String projectId) {
        return "pulse:" + projectId + ":live";
    }

    public static String stream(String projectId) {
        return "pulse:" + projectId + ":stream";
    }

    public static String personStream(String projectId, String person) {
        return "pulse:" + projectId + ":person:" + person + ":stream";
    }

    public static String recent(String projectId, String person) {
        return "pulse:" + projectId + ":recent:" + person;
    }

    public static String coOccurrence(String projectId, String item) {
        return "pulse:" + projectId + ":co:" + item;
    }

    public static String trending(String projectId, long epochHour) {
        return "pulse:" + projectId + ":trending:" + epochHour;
    }

    public static String queryCache(String projectId, String hash) {
        return "pulse:" + projectId + ":q:" + hash;
    }
}
