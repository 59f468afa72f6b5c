package io.pulse.ingest.service;

import io.pulse.shared.Limits;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.shared.validation.EventValidator;
import io.pulse.shared.validation.RejectReason;
import io.pulse.shared.validation.Violation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns one JSON item of a request into a contract event: reads it, stamps what the server knows (project,
 * receivedAt, client IP, edge country, a messageId when absent), corrects client clock skew, and validates.
 * Pure: no I/O, so it is tested without Quarkus.
 */
public final class EventIntake {

    private EventIntake() {
    }

    /**
     * @param forcedType the type named by the endpoint (/v1/track ...), or null for batch items, which carry
     *                   their own {@code type}
     */
    public static Intake take(JsonNode item, EventType forcedType, RequestInfo request) {
        if (!(item instanceof ObjectNode object)) {
            return reject(item, null, RejectReason.NOT_AN_OBJECT, "an event must be a JSON object");
        }
        if (forcedType == null && !object.hasNonNull("type")) {
            return reject(item, "type", RejectReason.INVALID_TYPE, "each batch item needs a type");
        }
        RawEvent parsed;
        try {
            parsed = EventJson.fromTree(withBatchContext(object, request.batchContext()), RawEvent.class);
        } catch (JsonMappingException e) {
            String field = path(e);
            boolean time = field.endsWith("timestamp") || field.endsWith("sentAt");
            return reject(item, field, time ? RejectReason.INVALID_TIMESTAMP : RejectReason.WRONG_FIELD_TYPE,
                    time ? field + " must be an ISO-8601 date-time" : field + " has the wrong type");
        } catch (Exception e) {
            return reject(item, null, RejectReason.SCHEMA_VIOLATION, "the event does not match the schema");
        }
        RawEvent event = stamp(parsed, forcedType, request);
        Violation violation = EventValidator.validate(event, request.receivedAt());
        if (violation != null) {
            return new Intake.Rejected(violation, item);
        }
        byte[] json = EventJson.toBytes(event);
        if (json.length > Limits.MAX_EVENT_BYTES) {
            return reject(item, null, RejectReason.EVENT_TOO_LARGE,
                    "the event is larger than " + Limits.MAX_EVENT_BYTES / 1024 + " KB");
        }
        return new Intake.Accepted(event, json);
    }

    static RawEvent stamp(RawEvent in, EventType forcedType, RequestInfo request) {
        Instant receivedAt = request.receivedAt();
        Instant sentAt = in.sentAt() != null ? in.sentAt() : request.batchSentAt();
        String messageId = in.messageId() == null || in.messageId().isBlank()
                ? Uuid7.next(receivedAt.toEpochMilli()).toString()
                : in.messageId();
        return new RawEvent(
                RawEvent.CONTRACT_VERSION,
                forcedType != null ? forcedType : in.type(),
                messageId,
                request.projectId(),
                in.userId(),
                in.anonymousId(),
                in.event(),
                in.name(),
                in.groupId(),
                in.previousId(),
                in.properties(),
                in.traits(),
                context(in.context(), request),
                correctedTimestamp(in.timestamp(), sentAt, receivedAt),
                in.timestamp(),
                sentAt,
                receivedAt);
    }

    /**
     * Client clocks are wrong; the interval between the event and the send is right. So the event happened
     * {@code timestamp - sentAt} before the server received it.
     */
    static Instant correctedTimestamp(Instant timestamp, Instant sentAt, Instant receivedAt) {
        if (timestamp == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return timestamp;
        }
        return receivedAt.plus(Duration.between(sentAt, timestamp));
    }

    private static EventContext context(EventContext sent, RequestInfo request) {
        EventContext context = sent != null ? sent : EventContext.EMPTY;
        // Server-side SDKs forward the end user's IP in context.ip; otherwise the request's own address counts.
        if (context.ip() == null || context.ip().isBlank()) {
            context = context.withIp(request.clientIp());
        }
        if (request.edgeCountry() != null) {
            context = context.withEdgeCountry(request.edgeCountry());
        }
        return context;
    }

    private static ObjectNode withBatchContext(ObjectNode item, ObjectNode batchContext) {
        if (batchContext == null || batchContext.isEmpty()) {
            return item;
        }
        ObjectNode merged = item.deepCopy();
        JsonNode own = item.get("context");
        ObjectNode context = batchContext.deepCopy();
        if (own instanceof ObjectNode ownContext) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ownContext.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                context.set(field.getKey(), field.getValue()); // the item's own values win
            }
        }
        merged.set("context", context);
        return merged;
    }

    private static String path(JsonMappingException e) {
        String joined = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (joined.isEmpty() && e instanceof InvalidFormatException) {
            return "value";
        }
        return joined.replace(".[", "[");
    }

    private static Intake reject(JsonNode item, String field, RejectReason reason, String message) {
        return new Intake.Rejected(new Violation(field, reason, message), item);
    }
}
