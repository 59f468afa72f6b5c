package io.pulse.ingest.service;

import io.pulse.shared.http.ApiException;
import io.pulse.ingest.api.TrackResponse;
import io.pulse.ingest.config.IngestConfig;
import io.pulse.ingest.messaging.EventPublisher;
import io.pulse.shared.Limits;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventType;
import io.pulse.shared.validation.RejectReason;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One tracking request from bytes to acknowledged Kafka records: decode, authenticate, take in each event,
 * publish accepted ones and dead-letter refused ones, and answer only when Kafka has acknowledged all of them.
 */
@ApplicationScoped
public class TrackingService {

    /** What the HTTP layer knows about a request. */
    public record Request(
            EventType forcedType, byte[] body, String contentEncoding, String authorization,
            String clientIp, String edgeCountry) {
    }

    private final ProjectKeys keys;
    private final Admission admission;
    private final EventPublisher publisher;
    private final IngestConfig config;
    private final MeterRegistry registry;
    private final Counter accepted;
    private final DistributionSummary batchSizes;
    private final Timer kafkaSend;

    public TrackingService(ProjectKeys keys, Admission admission, EventPublisher publisher, IngestConfig config,
            MeterRegistry registry) {
        this.keys = keys;
        this.admission = admission;
        this.publisher = publisher;
        this.config = config;
        this.registry = registry;
        this.accepted = registry.counter("pulse.ingest.events.accepted");
        this.batchSizes = DistributionSummary.builder("pulse.ingest.batch.size").publishPercentiles(0.5, 0.99)
                .register(registry);
        this.kafkaSend = Timer.builder("pulse.ingest.kafka.send").publishPercentiles(0.5, 0.99, 0.999)
                .register(registry);
    }

    public Uni<TrackResponse> handle(Request request) {
        Instant receivedAt = Instant.now();
        byte[] body = RequestBodies.decode(request.body(), request.contentEncoding());
        JsonNode root = parse(body);
        String writeKey = writeKey(request.authorization(), root);
        int bodyBytes = body.length;
        Optional<String> cachedProject = keys.cached(writeKey);
        if (cachedProject != null) {
            // The usual case, taken in at once rather than in a continuation, which would keep the request's JSON
            // tree (half a megabyte for a batch) alive until Kafka acknowledges: the tree is garbage on return.
            return takeIn(request, root, writeKey, receivedAt, bodyBytes, cachedProject);
        }
        return keys.projectOf(writeKey)
                .onItem().transformToUni(project -> takeIn(request, root, writeKey, receivedAt, bodyBytes, project));
    }

    private Uni<TrackResponse> takeIn(Request request, JsonNode root, String writeKey, Instant receivedAt,
            int bodyBytes, Optional<String> project) {
        if (project.isEmpty()) {
            throw new ApiException(401, "unknown_write_key", "writeKey", "the write key is not valid");
        }
        RequestInfo info = new RequestInfo(project.get(), receivedAt, request.clientIp(),
                request.edgeCountry(), batchContext(request, root), batchSentAt(request, root));
        List<JsonNode> items = items(request.forcedType(), root);
        admission.admitEvents(writeKey, items.size());
        admission.reserveBytes(bodyBytes);
        return process(request.forcedType(), items, info)
                .onTermination().invoke(() -> admission.release(bodyBytes));
    }

    private Uni<TrackResponse> process(EventType forcedType, List<JsonNode> items, RequestInfo info) {
        batchSizes.record(items.size());
        List<Intake.Accepted> accepted = new ArrayList<>(items.size());
        List<Intake.Rejected> refused = new ArrayList<>();
        List<TrackResponse.RejectedItem> rejected = new ArrayList<>();
        ApiException singleRefusal = null;
        for (int i = 0; i < items.size(); i++) {
            Intake intake = EventIntake.take(items.get(i), forcedType, info);
            if (intake instanceof Intake.Accepted ok) {
                accepted.add(ok);
            } else if (intake instanceof Intake.Rejected no) {
                var v = no.violation();
                registry.counter("pulse.ingest.events.rejected", "reason", v.reason().code()).increment();
                refused.add(no);
                rejected.add(new TrackResponse.RejectedItem(i, v.field(), v.reason().code(), v.message()));
                if (forcedType != null) {
                    int status = v.reason() == RejectReason.EVENT_TOO_LARGE ? 413 : 400;
                    singleRefusal = new ApiException(status, v.reason().code(), v.field(), v.message());
                }
            }
        }
        int acceptedCount = accepted.size();
        ApiException refusal = singleRefusal;
        long started = System.nanoTime();
        return awaitAcks(publisher.publish(info.projectId(), accepted, refused, info.receivedAt())).map(ignored -> {
            kafkaSend.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            this.accepted.increment(acceptedCount);
            if (refusal != null) {
                throw refusal; // a single refused event: its dead letter is stored, the client hears why
            }
            return forcedType != null ? TrackResponse.OK
                    : new TrackResponse(true, acceptedCount, rejected.isEmpty() ? null : rejected);
        });
    }

    private Uni<Void> awaitAcks(Uni<Void> acks) {
        int retryAfter = (int) Math.max(1, config.retryAfter().toSeconds());
        return acks
                .ifNoItem().after(config.kafkaTimeout()).fail()
                .onFailure().transform(failure -> new ApiException(503, "kafka_unavailable", null,
                        failure instanceof TimeoutException
                                ? "the event store did not acknowledge in time; retry later"
                                : "the event store is unavailable; retry later",
                        retryAfter));
    }

    private static List<JsonNode> items(EventType forcedType, JsonNode root) {
        if (forcedType != null) {
            return List.of(root);
        }
        JsonNode batch = root.get("batch");
        if (batch == null || !batch.isArray()) {
            throw new ApiException(400, "missing_batch", "batch", "a batch request needs a \"batch\" array");
        }
        if (batch.size() > Limits.MAX_BATCH_EVENTS) {
            throw new ApiException(413, "too_many_events", "batch",
                    "a batch holds at most " + Limits.MAX_BATCH_EVENTS + " events");
        }
        List<JsonNode> items = new ArrayList<>(batch.size());
        batch.forEach(items::add);
        return items;
    }

    private static ObjectNode batchContext(Request request, JsonNode root) {
        return request.forcedType() == null && root.get("context") instanceof ObjectNode context ? context : null;
    }

    private static Instant batchSentAt(Request request, JsonNode root) {
        JsonNode sentAt = request.forcedType() == null ? root.get("sentAt") : null;
        if (sentAt == null || !sentAt.isTextual()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(sentAt.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "invalid_timestamp", "sentAt", "sentAt must be an ISO-8601 date-time");
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode root = EventJson.MAPPER.readTree(body);
            if (root == null || !root.isObject()) {
                throw new ApiException(400, "not_an_object", "body", "the body must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ApiException(400, "malformed_json", "body", "the body is not valid JSON" + where);
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "body", "the body could not be read as JSON");
        }
    }

    /** Basic auth with the write key as user name (Segment's scheme), else a writeKey field in the body. */
    static String writeKey(String authorization, JsonNode root) {
        if (authorization != null && !authorization.isBlank()) {
            String[] scheme = authorization.trim().split("\\s+", 2);
            if (scheme.length != 2 || !scheme[0].equalsIgnoreCase("Basic")) {
                throw new ApiException(401, "unsupported_authorization", "Authorization",
                        "use Basic authentication with the write key as the user name");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(scheme[1]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(401, "malformed_authorization", "Authorization",
                        "the Basic credentials are not valid base64");
            }
            int colon = decoded.indexOf(':');
            String user = colon >= 0 ? decoded.substring(0, colon) : decoded;
            if (!user.isEmpty()) {
                return user;
            }
        }
        JsonNode bodyKey = root.get("writeKey");
        if (bodyKey != null && bodyKey.isTextual() && !bodyKey.asText().isEmpty()) {
            return bodyKey.asText();
        }
        throw new ApiException(401, "missing_write_key", "Authorization",
                "send the write key as the Basic user name or as writeKey in the body");
    }
}
