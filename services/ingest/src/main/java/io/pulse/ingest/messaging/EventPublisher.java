package io.pulse.ingest.messaging;

import io.pulse.ingest.config.IngestConfig;
import io.pulse.ingest.service.Intake;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EventKey;
import io.pulse.shared.validation.DeadLetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

    /** Kafka's own settings from {@code kafka.*} (bootstrap servers, security), then the ones that make the promise. */
    static Map<String, Object> producerConfig(Map<String, Object> kafka, IngestConfig config) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (!key.startsWith("health") && !key.contains("devservices")) {
                props.put(key, value);
            }
        });
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-ingest");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.producer().linger().toMillis());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.producer().bufferBytes());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.producer().maxBlock().toMillis());
        // Keep topic metadata however quiet the topic is, so an append never has to fetch it.
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    void warmUp(@Observes StartupEvent event) {
        try {
            producer.partitionsFor(Topics.RAW);
            producer.partitionsFor(Topics.DLQ);
        } catch (RuntimeException e) {
            // Kafka down at start: requests answer 503 until it is back; readiness says so meanwhile.
            LOG.warnf("Kafka topic metadata not available at start (%s)", e.getMessage());
        }
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5)); // flushes what was accepted but not yet sent
    }

    /**
     * Sends every accepted event and every dead letter of one request, in order (a key's records keep their
     * order on its partition); completes when all are acknowledged, fails at the first failure.
     */
    public Uni<Void> publish(String projectId, List<Intake.Accepted> accepted, List<Intake.Rejected> rejected,
            Instant at) {
        int total = accepted.size() + rejected.size();
        if (total == 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            AtomicInteger pending = new AtomicInteger(total);
            org.apache.kafka.clients.producer.Callback callback = (metadata, exception) -> {
                if (exception != null) {
                    emitter.fail(exception); // the first failure wins; later ones are ignored by the emitter
                } else if (pending.decrementAndGet() == 0) {
                    emitter.complete(null);
                }
            };
            try {
                for (Intake.Accepted event : accepted) {
                    producer.send(new ProducerRecord<>(Topics.RAW, event.event().key(), event.json()), callback);
                }
                for (Intake.Rejected refused : rejected) {
                    producer.send(new ProducerRecord<>(Topics.DLQ, deadLetterKey(projectId, refused),
                            EventJson.toBytes(deadLetter(projectId, refused, at))), callback);
                }
            } catch (RuntimeException e) {
                emitter.fail(e); // buffer full or no metadata within max.block.ms: the caller answers 503
            }
        });
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
