package io.pulse.aggregator.messaging;

import io.pulse.aggregator.config.AggregatorConfig;
import io.pulse.aggregator.service.HotData;
import io.pulse.aggregator.storage.EventBatchWriter;
import io.pulse.aggregator.storage.EventRow;
import io.pulse.shared.Topics;
import io.pulse.shared.validation.DeadLetter;
import io.pulse.shared.validation.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Consumes {@code pulse.events.enriched} in batches. Per batch: poison records to the dead-letter topic, then
 * one PostgreSQL transaction (events, rollups, identities, offsets), then the Kafka ack; Redis for the new events
 * follows, beside the next batch's transaction. A failed transaction
 * is retried with backoff for as long as it takes: the consumer pauses instead of crashing or skipping.
 */
@ApplicationScoped
public class EnrichedEventConsumer {

    private static final Logger LOG = Logger.getLogger(EnrichedEventConsumer.class);
    /** Header SmallRye sets on a record whose value could not be deserialized (fail-on-deserialization-failure=false). */
    static final String DESERIALIZATION_FAILURE_DATA = "deserialization-failure-data";

    private final EventBatchWriter writer;
    private final HotData hotData;
    private final MutinyEmitter<DeadLetter> deadLetters;
    private final AggregatorConfig config;
    private final Counter stored;
    private final Counter replayed;
    private final Counter transactions;
    private final Counter rowsWritten;
    private final DistributionSummary batchSizes;
    private final Timer transactionTime;
    private final Timer freshness;
    private final Timer hotDataTime;
    /** The Redis update of the last stored batch; never fails (Redis is skipped when down). */
    private volatile CompletionStage<Void> hotDataInFlight = CompletableFuture.completedFuture(null);

    public EnrichedEventConsumer(EventBatchWriter writer, HotData hotData,
            @Channel("dlq") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<DeadLetter> deadLetters,
            AggregatorConfig config, MeterRegistry registry) {
        this.writer = writer;
        this.hotData = hotData;
        this.deadLetters = deadLetters;
        this.config = config;
        this.stored = registry.counter("pulse.aggregator.events.stored");
        this.replayed = registry.counter("pulse.aggregator.events.replayed");
        this.transactions = registry.counter("pulse.aggregator.transactions");
        this.rowsWritten = registry.counter("pulse.aggregator.rows.written");
        this.batchSizes = DistributionSummary.builder("pulse.aggregator.batch.size")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.transactionTime = Timer.builder("pulse.aggregator.transaction.time")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.freshness = Timer.builder("pulse.aggregator.freshness")
                .description("commit time minus receivedAt")
                .publishPercentiles(0.5, 0.99, 0.999).register(registry);
        this.hotDataTime = Timer.builder("pulse.aggregator.hot.data.time")
                .description("Redis update of one stored batch").publishPercentiles(0.5, 0.99).register(registry);
    }

    @Incoming("enriched")
    public Uni<Void> consume(KafkaRecordBatch<String, ConsumedEvent> batch) {
        List<ConsumedEvent> events = new ArrayList<>(batch.getRecords().size());
        List<Uni<Void>> poison = new ArrayList<>();
        Map<Integer, Long> nextOffsets = new HashMap<>();
        for (KafkaRecord<String, ConsumedEvent> record : batch.getRecords()) {
            nextOffsets.merge(record.getPartition(), offset(record) + 1, Math::max);
            if (record.getPayload() == null) {
                poison.add(deadLetter(record));
            } else {
                events.add(record.getPayload());
            }
        }
        batchSizes.record(events.size());
        List<EventRow> rows = events.stream().map(c -> EventRow.of(c.event(), c.json())).toList();
        long started = System.nanoTime();
        Uni<EventBatchWriter.Result> transaction = writer.write(rows, config.consumerGroup(), Topics.ENRICHED,
                        nextOffsets)
                .onFailure().invoke(e -> LOG.warnf("batch of %d not stored yet (%s); retrying", rows.size(),
                        e.getMessage()))
                .onFailure().retry()
                .withBackOff(config.retry().initialBackoff(), config.retry().maxBackoff()).indefinitely();
        // Dead letters first (at least once), then the transaction, which alone is retried.
        return joinAll(poison)
                .chain(() -> transaction)
                .invoke(result -> {
                    transactionTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    stored.increment(result.inserted());
                    transactions.increment();
                    rowsWritten.increment(result.inserted() + result.rollupRows() + nextOffsets.size());
                    replayed.increment(rows.size() - result.inserted());
                    recordFreshness(events);
                })
                .chain(result -> startHotData(hotData.hotEvents(newEvents(events, result))))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /**
     * Redis for this batch runs while the next batch's transaction does: waits for the previous batch's update
     * (so updates stay in order and at most one batch's events wait for Redis), starts this one, and returns.
     */
    private Uni<Void> startHotData(List<HotData.HotEvent> newEvents) {
        return Uni.createFrom().completionStage(hotDataInFlight).invoke(() -> {
            long started = System.nanoTime();
            hotDataInFlight = Uni.createFrom().deferred(() -> hotData.record(newEvents))
                    .onFailure().invoke(e -> LOG.debugf("Redis update skipped: %s", e.getMessage()))
                    .onFailure().recoverWithNull()
                    .invoke(() -> hotDataTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
                    .subscribeAsCompletionStage();
        });
    }

    /** Only events this transaction stored for the first time reach Redis: a replay must not repeat them. */
    private static List<ConsumedEvent> newEvents(List<ConsumedEvent> events, EventBatchWriter.Result result) {
        if (result.inserted() == events.size()) {
            return events;
        }
        return events.stream().filter(c -> result.newEvents().contains(
                EventBatchWriter.Result.idOf(c.event().event().projectId(), c.event().event().messageId()))).toList();
    }

    private void recordFreshness(List<ConsumedEvent> events) {
        long now = System.currentTimeMillis();
        for (ConsumedEvent c : events) {
            Instant received = c.event().event().receivedAt();
            if (received != null) {
                freshness.record(Duration.ofMillis(Math.max(0, now - received.toEpochMilli())));
            }
        }
    }

    private Uni<Void> deadLetter(KafkaRecord<String, ConsumedEvent> record) {
        Header data = record.getHeaders().lastHeader(DESERIALIZATION_FAILURE_DATA);
        String text = data == null ? null : new String(data.value(), StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetter("aggregator", RejectReason.SCHEMA_VIOLATION, null,
                "not an enriched event (group " + config.consumerGroup() + ", partition " + record.getPartition()
                        + ", offset " + offset(record) + ")",
                null, Instant.now(), null, text);
        return deadLetters.sendMessage(Message.of(letter).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(record.getKey()).build()));
    }

    private static Uni<Void> joinAll(List<Uni<Void>> unis) {
        return unis.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(unis).andFailFast().replaceWithVoid();
    }

    /** Records of a consumed batch are incoming records; only those know their offset. */
    private static long offset(KafkaRecord<?, ?> record) {
        return ((IncomingKafkaRecord<?, ?>) record).getOffset();
    }
}
