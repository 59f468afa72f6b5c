package io.pulse.enricher.messaging;

import io.pulse.enricher.config.EnricherConfig;
import io.pulse.enricher.service.Enricher;
import io.pulse.enricher.storage.DedupStore;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.RawEvent;
import io.pulse.shared.kafka.KafkaSends;
import io.pulse.shared.kafka.ReliableProducer;
import io.pulse.shared.validation.DeadLetter;
import io.pulse.shared.validation.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * {@code pulse.events.raw} to {@code pulse.events.enriched}, a batch at a time. Records are sent in the order
 * they were read (one idempotent producer keeps a partition's order), and the batch is acked only when Kafka
 * acknowledged every output: a crash before that replays the batch, which produces the same records again.
 *
 * <p>Replays are made harmless without Kafka transactions: the output for a record is deterministic for a given
 * state, the dedup store recognises a replay by the record's own coordinates, and the aggregator's primary key
 * ignores the second copy. Session and identity state is saved after the sends and before the ack, so only a
 * crash in that short window replays a batch against advanced state (see {@link Enricher}).
 */
@ApplicationScoped
public class RawEventProcessor {

    private static final Logger LOG = Logger.getLogger(RawEventProcessor.class);
    static final String DESERIALIZATION_FAILURE_DATA = "deserialization-failure-data";

    private final Enricher enricher;
    private final DedupStore dedup;
    private final Producer<String, byte[]> producer;
    private final EnricherConfig config;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter deadLettered;
    private final Timer dedupStep;
    private final Timer enrichStep;
    private final Timer sendStep;
    private final Timer saveStep;

    public RawEventProcessor(Enricher enricher, DedupStore dedup,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, EnricherConfig config,
            MeterRegistry registry) {
        this.enricher = enricher;
        this.dedup = dedup;
        // One producer for enriched events and dead letters, one completion per batch: a messaging channel
        // would switch threads twice per record (see ingest's EventPublisher for the measurement).
        this.producer = new KafkaProducer<>(ReliableProducer.config(kafka, "pulse-enricher", Duration.ofMillis(1),
                Duration.ofSeconds(5)));
        this.config = config;
        this.processed = registry.counter("pulse.enricher.events", "outcome", "enriched");
        this.duplicates = registry.counter("pulse.enricher.events", "outcome", "duplicate");
        this.deadLettered = registry.counter("pulse.enricher.events", "outcome", "dead_letter");
        // Wall time of each step per batch: divided by the events, the per-event cost of each step.
        this.dedupStep = registry.timer("pulse.enricher.batch.step", "step", "dedup");
        this.enrichStep = registry.timer("pulse.enricher.batch.step", "step", "enrich");
        this.sendStep = registry.timer("pulse.enricher.batch.step", "step", "send");
        this.saveStep = registry.timer("pulse.enricher.batch.step", "step", "save");
    }

    @Incoming("raw")
    public Uni<Void> process(KafkaRecordBatch<String, RawEvent> batch) {
        List<KafkaRecord<String, RawEvent>> records = batch.getRecords();
        // Redis or Kafka down or slow: retry the whole batch (pause) rather than skip or pass duplicates on.
        // A retry finds its own coordinates in the dedup store (REPLAY) and, as sessions and identities are saved
        // only after the sends, the same state: it sends the same records again.
        return timed(dedupStep, () -> verdicts(records))
                .chain(verdicts -> enrichAndSend(records, verdicts))
                .onFailure().invoke(e -> LOG.warnf("batch of %d not enriched yet (%s); retrying", records.size(),
                        e.getMessage()))
                .onFailure().retry()
                .withBackOff(config.retry().initialBackoff(), config.retry().maxBackoff()).indefinitely()
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** One verdict per record; null for a record that cannot be checked (it goes to the DLQ). */
    private Uni<List<DedupStore.Verdict>> verdicts(List<KafkaRecord<String, RawEvent>> records) {
        List<DedupStore.Check> checks = new ArrayList<>(records.size());
        List<Integer> checkedIndexes = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            KafkaRecord<String, RawEvent> record = records.get(i);
            RawEvent event = record.getPayload();
            if (event != null && event.messageId() != null && event.projectId() != null) {
                checks.add(new DedupStore.Check(event.projectId(), event.messageId(),
                        record.getPartition() + ":" + offset(record)));
                checkedIndexes.add(i);
            }
        }
        return dedup.check(checks).map(found -> {
            List<DedupStore.Verdict> verdicts = new ArrayList<>(java.util.Collections.nCopies(records.size(), null));
            for (int j = 0; j < found.size(); j++) {
                verdicts.set(checkedIndexes.get(j), found.get(j));
            }
            return verdicts;
        });
    }

    /** Enriches what is not a duplicate, sends everything in record order, then saves sessions and identities. */
    private Uni<Void> enrichAndSend(List<KafkaRecord<String, RawEvent>> records, List<DedupStore.Verdict> verdicts) {
        List<RawEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            if (enrichable(records.get(i), verdicts.get(i))) {
                events.add(records.get(i).getPayload());
            }
        }
        return timed(enrichStep, () -> enricher.enrich(events))
                .chain(enrichedBatch -> timed(sendStep, () -> send(records, verdicts, enrichedBatch.outcomes()))
                        .chain(() -> timed(saveStep, () -> enricher.save(enrichedBatch))));
    }

    private static <T> Uni<T> timed(Timer timer, Supplier<Uni<T>> step) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return step.get().onTermination().invoke(() -> timer.record(System.nanoTime() - started,
                    TimeUnit.NANOSECONDS));
        });
    }

    private static boolean enrichable(KafkaRecord<String, RawEvent> record, DedupStore.Verdict verdict) {
        return record.getPayload() != null && verdict != null && verdict != DedupStore.Verdict.DUPLICATE;
    }

    /** @param outcomes one per enrichable record, in record order */
    private Uni<Void> send(List<KafkaRecord<String, RawEvent>> records, List<DedupStore.Verdict> verdicts,
            List<Enricher.Outcome> outcomes) {
        List<ProducerRecord<String, byte[]>> sends = new ArrayList<>(records.size());
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            KafkaRecord<String, RawEvent> record = records.get(i);
            if (record.getPayload() == null || verdicts.get(i) == null) {
                sends.add(deadLetter(record, RejectReason.SCHEMA_VIOLATION, "not a raw event"));
                continue;
            }
            if (verdicts.get(i) == DedupStore.Verdict.DUPLICATE) {
                duplicates.increment();
                continue;
            }
            Enricher.Outcome outcome = outcomes.get(next++);
            if (outcome.failure() != null) {
                // One bad record must not stop the stream: it goes to the DLQ and the next one flows.
                LOG.debugf(outcome.failure(), "enrichment failed at %d:%d", record.getPartition(), offset(record));
                sends.add(deadLetter(record, RejectReason.ENRICHMENT_FAILURE,
                        outcome.failure().getClass().getSimpleName()));
                continue;
            }
            EnrichedEvent out = outcome.event();
            processed.increment();
            sends.add(new ProducerRecord<>(Topics.ENRICHED, out.key(), EventJson.toBytes(out)));
        }
        return Uni.createFrom().completionStage(() -> KafkaSends.all(producer, sends));
    }

    void close(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
    }

    private ProducerRecord<String, byte[]> deadLetter(KafkaRecord<String, RawEvent> record, RejectReason reason,
            String detail) {
        deadLettered.increment();
        RawEvent event = record.getPayload();
        String text = null;
        if (event == null) {
            Header data = record.getHeaders().lastHeader(DESERIALIZATION_FAILURE_DATA);
            text = data == null ? null : new String(data.value(), StandardCharsets.UTF_8);
        }
        DeadLetter letter = new DeadLetter("enricher", reason, null, detail + " (group " + config.consumerGroup()
                + ", partition " + record.getPartition() + ", offset " + offset(record) + ")",
                event != null ? event.projectId() : null, Instant.now(),
                event != null ? EventJson.MAPPER.valueToTree(event) : null, text);
        return new ProducerRecord<>(Topics.DLQ, record.getKey(), EventJson.toBytes(letter));
    }

    /** Records of a consumed batch are incoming records; only those know their offset. */
    private static long offset(KafkaRecord<?, ?> record) {
        return ((IncomingKafkaRecord<?, ?>) record).getOffset();
    }
}
