package io.pulse.aggregator.messaging;

import io.pulse.aggregator.config.AggregatorConfig;
import io.pulse.aggregator.storage.OffsetStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * On every partition assignment, seeks to the offsets stored in PostgreSQL with the data. Kafka's own committed
 * offsets trail them (they are committed after the database commit), so without this a restart would replay
 * batches that are already stored. Runs on the consumer's polling thread, where blocking is allowed.
 */
@ApplicationScoped
@Identifier(StoredOffsetSeeker.NAME)
public class StoredOffsetSeeker implements KafkaConsumerRebalanceListener {

    public static final String NAME = "pulse.aggregator.stored-offsets";
    private static final Logger LOG = Logger.getLogger(StoredOffsetSeeker.class);

    private final OffsetStore offsets;
    private final String group;

    public StoredOffsetSeeker(OffsetStore offsets, AggregatorConfig config) {
        this.offsets = offsets;
        this.group = config.consumerGroup();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        Map<Integer, Long> stored;
        try {
            stored = offsets.load(group, topic).await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            // Still correct, only slower: Kafka's committed offsets are behind, and replays are deduplicated.
            LOG.warnf("could not read stored offsets (%s); starting from Kafka's committed offsets", e.getMessage());
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            Long next = stored.get(partition.partition());
            if (next == null) {
                continue;
            }
            if (next > ends.getOrDefault(partition, Long.MAX_VALUE)) {
                // Stored for another incarnation of the topic (recreated, or another cluster): seeking there would
                // skip records once the new topic grows past it. Replaying instead is harmless.
                LOG.warnf("stored offset %d of %s is beyond its end %d; not seeking", next, partition,
                        ends.get(partition));
                continue;
            }
            consumer.seek(partition, next);
        }
        LOG.infof("assigned %s; stored offsets %s", partitions, stored);
    }
}
