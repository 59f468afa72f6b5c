package io.pulse.ingest.messaging;

import io.pulse.ingest.service.Intake;
import io.pulse.shared.event.EventKey;
import io.pulse.shared.validation.DeadLetter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends accepted events to {@code pulse.events.raw} and refused ones to {@code pulse.events.dlq}. Each Uni
 * completes when Kafka acknowledged the record (acks=all, idempotent producer: see application.properties).
 */
@ApplicationScoped
public class EventPublisher {

    private final MutinyEmitter<byte[]> raw;
    private final MutinyEmitter<DeadLetter> deadLetters;

    // Unbounded here because the resource bounds what is in flight (bytes per request, requests per key);
    // the emitter's own small default buffer would fail requests under a burst instead.
    public EventPublisher(
            @Channel("raw") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> raw,
            @Channel("dlq") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<DeadLetter> deadLetters) {
        this.raw = raw;
        this.deadLetters = deadLetters;
    }

    /** The record carries the event already serialized, keyed {@code projectId:distinctId}. */
    public Uni<Void> publish(Intake.Accepted accepted) {
        return raw.sendMessage(keyed(accepted.json(), accepted.event().key()));
    }

    public Uni<Void> deadLetter(String projectId, Intake.Rejected rejected, Instant at) {
        var violation = rejected.violation();
        DeadLetter letter = new DeadLetter("ingest", violation.reason(), violation.field(), violation.message(),
                projectId, at, rejected.original(), null);
        return deadLetters.sendMessage(keyed(letter, deadLetterKey(projectId, rejected)));
    }

    private static String deadLetterKey(String projectId, Intake.Rejected rejected) {
        var original = rejected.original();
        if (original != null && original.isObject()) {
            String distinct = EventKey.distinctId(original.path("userId").asText(null),
                    original.path("anonymousId").asText(null));
            if (distinct != null) {
                return EventKey.of(projectId, distinct);
            }
        }
        return projectId;
    }

    private static <T> Message<T> keyed(T payload, String key) {
        return Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
