package io.pulse.shared.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Version 1 of the event contract: one Segment-style message as accepted by ingest and written to
 * {@code pulse.events.raw}.
 *
 * @param timestamp         event time, corrected for client clock skew by ingest
 * @param originalTimestamp the event time exactly as the client sent it (null when the client sent none)
 * @param sentAt            when the client sent the request, by the client's clock
 * @param receivedAt        when ingest received the request, by the server's clock
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RawEvent(
        int version,
        EventType type,
        String messageId,
        String projectId,
        String userId,
        String anonymousId,
        String event,
        String name,
        String groupId,
        String previousId,
        ObjectNode properties,
        ObjectNode traits,
        EventContext context,
        Instant timestamp,
        Instant originalTimestamp,
        Instant sentAt,
        Instant receivedAt) {

    public static final int CONTRACT_VERSION = 1;

    /** The id that orders and partitions a person's events: userId when known, else anonymousId. */
    public String distinctId() {
        return EventKey.distinctId(userId, anonymousId);
    }

    /** The Kafka record key of this event, {@code projectId:distinctId}. */
    public String key() {
        return EventKey.of(projectId, distinctId());
    }

    /** What a chart calls this event: the track event name, or the page/screen name, or the type itself. */
    public String displayName() {
        return switch (type) {
            case TRACK -> event;
            case PAGE, SCREEN -> name != null ? name : type.wireName();
            default -> type.wireName();
        };
    }

    public EventContext contextOrEmpty() {
        return context != null ? context : EventContext.EMPTY;
    }

    public RawEvent withContext(EventContext newContext) {
        return new RawEvent(version, type, messageId, projectId, userId, anonymousId, event, name, groupId,
                previousId, properties, traits, newContext, timestamp, originalTimestamp, sentAt, receivedAt);
    }
}
