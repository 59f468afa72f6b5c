package io.pulse.ingest.messaging;

import io.pulse.ingest.config.IngestConfig;
import io.pulse.ingest.service.Intake;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventKey;
import io.pulse.shared.kafka.KafkaSends;
import io.pulse.shared.kafka.ReliableProducer;
import io.pulse.shared.validation.DeadLetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends a request's accepted events to {@code pulse.events.raw} and its refused ones to {@code pulse.events.dlq},
 * and completes once Kafka acknowledged all of them (acks=all, idempotent producer: a producer retry never
 * duplicates or reorders a key's records).
 *
 * <p>Why a plain KafkaProducer and not a messaging channel: a channel hands every message to its sending thread
 * and every ack back, two thread switches per event, which on two cores cost more than the rest of a request.
 * Here the event loop appends to the producer's buffer (no I/O) and one completion per request comes back.
 * The append never waits long: topic metadata is fetched at start and kept, and a full buffer fails fast
 * ({@code max.block.ms}) into a 503 instead of stalling the event loop.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;

    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, IngestConfig config) {
        this.producer = new KafkaProducer<>(producerConfig(kafka, config));
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafka, IngestConfig config) {
        Map<String, Object> props = ReliableProducer.config(kafka, "pulse-ingest", config.producer().linger(),
                config.producer().maxBlock());
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.producer().bufferBytes());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return props;
    }

    /**
     * Fetches both topics' metadata before the first request: each try waits at most max.block.ms, so try again
     * for a while (blocking is fine at start).
     */
    void warmUp(@Observes StartupEvent event) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (String topic : List.of(Topics.RAW, Topics.DLQ)) {
            while (true) {
                try {
                    producer.partitionsFor(topic);
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        // Kafka down at start: requests answer 503 until it is back; readiness says so meanwhile.
                        LOG.warnf("no metadata for %s at start (%s)", topic, e.getMessage());
                        break;
                    }
                }
            }
        }
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5)); // flushes what was accepted but not yet sent
    }

    /**
     * Sends every accepted event and every dead letter of one request now, in order (a key's records keep their
     * order on its partition); the Uni completes when all are acknowledged and fails at the first failure.
     */
    public Uni<Void> publish(String projectId, List<Intake.Accepted> accepted, List<Intake.Rejected> rejected,
            Instant at) {
        int total = accepted.size() + rejected.size();
        if (total == 0) {
            return Uni.createFrom().voidItem();
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(total);
        for (Intake.Accepted event : accepted) {
            records.add(new ProducerRecord<>(Topics.RAW, event.event().key(), event.json()));
        }
        for (Intake.Rejected refused : rejected) {
            records.add(new ProducerRecord<>(Topics.DLQ, deadLetterKey(projectId, refused),
                    EventJson.toBytes(deadLetter(projectId, refused, at))));
        }
        // Sent here, not on subscription, so that while Kafka acknowledges only the producer's buffer holds the
        // records' bytes. A failure (buffer full or no metadata within max.block.ms included) becomes the caller's
        // 503.
        return Uni.createFrom().completionStage(KafkaSends.all(producer, records));
    }

    static DeadLetter deadLetter(String projectId, Intake.Rejected rejected, Instant at) {
        var violation = rejected.violation();
        return new DeadLetter("ingest", violation.reason(), violation.field(), violation.message(), projectId, at,
                rejected.original(), null);
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
}
