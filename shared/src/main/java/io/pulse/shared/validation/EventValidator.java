package io.pulse.shared.validation;

import io.pulse.shared.Limits;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The rules of the contract every stage applies. Stateless and allocation-light: it runs once per event on
 * ingest's hot path.
 */
public final class EventValidator {

    /**
     * Distinct ids that SDK bugs and template code send instead of a real id. Counting them as one person
     * would merge thousands of visitors, so they are refused. Compared trimmed and lower-case.
     */
    static final Set<String> PLACEHOLDER_IDS = Set.of(
            "", "anonymous", "anon", "undefined", "null", "nil", "none", "nan", "0", "-1", "[object object]",
            "true", "false", "unknown", "guest", "user", "id", "distinct_id", "{{userid}}", "${userid}");

    private EventValidator() {
    }

    /** Returns the first rule the event breaks, or null when it is valid. */
    public static Violation validate(RawEvent event, Instant now) {
        if (event.type() == null) {
            return new Violation("type", RejectReason.INVALID_TYPE,
                    "type must be one of track, identify, page, screen, group, alias");
        }
        Violation id = checkDistinctId(event);
        if (id != null) {
            return id;
        }
        if (event.messageId() != null && event.messageId().length() > Limits.MAX_MESSAGE_ID_LENGTH) {
            return new Violation("messageId", RejectReason.MESSAGE_ID_TOO_LONG,
                    "messageId is longer than " + Limits.MAX_MESSAGE_ID_LENGTH + " characters");
        }
        Violation names = checkNames(event);
        if (names != null) {
            return names;
        }
        if (depth(event.properties()) > Limits.MAX_PROPERTY_DEPTH) {
            return new Violation("properties", RejectReason.TOO_DEEP,
                    "properties are nested deeper than " + Limits.MAX_PROPERTY_DEPTH + " levels");
        }
        if (depth(event.traits()) > Limits.MAX_PROPERTY_DEPTH) {
            return new Violation("traits", RejectReason.TOO_DEEP,
                    "traits are nested deeper than " + Limits.MAX_PROPERTY_DEPTH + " levels");
        }
        if (event.timestamp() != null && event.timestamp().isAfter(now.plus(Limits.MAX_FUTURE))) {
            return new Violation("timestamp", RejectReason.FUTURE_TIMESTAMP,
                    "timestamp is more than " + Limits.MAX_FUTURE.toHours() + " hours in the future");
        }
        return null;
    }

    public static boolean isPlaceholder(String id) {
        return id != null && PLACEHOLDER_IDS.contains(id.trim().toLowerCase(Locale.ROOT));
    }

    private static Violation checkDistinctId(RawEvent event) {
        boolean hasUser = event.userId() != null;
        boolean hasAnonymous = event.anonymousId() != null;
        if (!hasUser && !hasAnonymous) {
            return new Violation("userId", RejectReason.MISSING_DISTINCT_ID, "userId or anonymousId is required");
        }
        // A placeholder userId beside a real anonymousId is still refused: it would be used as the key.
        if (hasUser && isPlaceholder(event.userId())) {
            return new Violation("userId", RejectReason.PLACEHOLDER_DISTINCT_ID,
                    "userId '" + event.userId().trim() + "' is a placeholder, not an id");
        }
        if (!hasUser && isPlaceholder(event.anonymousId())) {
            return new Violation("anonymousId", RejectReason.PLACEHOLDER_DISTINCT_ID,
                    "anonymousId '" + event.anonymousId().trim() + "' is a placeholder, not an id");
        }
        if (tooLong(event.userId())) {
            return new Violation("userId", RejectReason.NAME_TOO_LONG, tooLongMessage("userId"));
        }
        if (tooLong(event.anonymousId())) {
            return new Violation("anonymousId", RejectReason.NAME_TOO_LONG, tooLongMessage("anonymousId"));
        }
        return null;
    }

    private static Violation checkNames(RawEvent event) {
        if (event.type() == EventType.TRACK && (event.event() == null || event.event().isBlank())) {
            return new Violation("event", RejectReason.MISSING_EVENT, "track needs an event name");
        }
        if (event.type() == EventType.GROUP && (event.groupId() == null || event.groupId().isBlank())) {
            return new Violation("groupId", RejectReason.MISSING_FIELD, "group needs a groupId");
        }
        if (event.type() == EventType.ALIAS && (event.previousId() == null || event.previousId().isBlank())) {
            return new Violation("previousId", RejectReason.MISSING_FIELD, "alias needs a previousId");
        }
        if (tooLong(event.event())) {
            return new Violation("event", RejectReason.NAME_TOO_LONG, tooLongMessage("event"));
        }
        if (tooLong(event.name())) {
            return new Violation("name", RejectReason.NAME_TOO_LONG, tooLongMessage("name"));
        }
        if (tooLong(event.groupId())) {
            return new Violation("groupId", RejectReason.NAME_TOO_LONG, tooLongMessage("groupId"));
        }
        if (tooLong(event.previousId())) {
            return new Violation("previousId", RejectReason.NAME_TOO_LONG, tooLongMessage("previousId"));
        }
        return null;
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > Limits.MAX_NAME_LENGTH;
    }

    private static String tooLongMessage(String field) {
        return field + " is longer than " + Limits.MAX_NAME_LENGTH + " characters";
    }

    /** Depth of a JSON value: a scalar is 0, an object of scalars is 1. Stops counting past the limit. */
    static int depth(JsonNode node) {
        if (node == null || !node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            deepest = Math.max(deepest, depth(it.next()));
            if (deepest > Limits.MAX_PROPERTY_DEPTH) {
                break;
            }
        }
        return deepest + 1;
    }
}
