package io.pulse.shared.event;

/**
 * The Kafka record key, {@code projectId:distinctId}. Every stage keys by it so one person's events share a
 * partition and keep their order end to end.
 */
public final class EventKey {

    private EventKey() {
    }

    public static String of(String projectId, String distinctId) {
        return projectId + ':' + distinctId;
    }

    /** userId when present (and not blank), else anonymousId. */
    public static String distinctId(String userId, String anonymousId) {
        return userId != null && !userId.isBlank() ? userId : anonymousId;
    }
}
