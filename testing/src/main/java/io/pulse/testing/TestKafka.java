package io.pulse.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads what a test caused on a real topic: take a {@link Mark} of the end offsets first, act, then read from
 * the mark. Other tests' records on the same topic are filtered out by the caller's predicate.
 */
public final class TestKafka {

    public static final String BOOTSTRAP = System.getProperty("pulse.test.kafka",
            System.getenv().getOrDefault("PULSE_TEST_KAFKA", "127.0.0.1:19092"));

    private TestKafka() {
    }

    /** End offsets of every partition of a topic at one moment. */
    public record Mark(String topic, Map<TopicPartition, Long> offsets) {
    }

    public static Mark mark(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return new Mark(topic, consumer.endOffsets(partitions));
        }
    }

    /**
     * Records since the mark that match, in partition order, waiting until {@code expected} matched or the
     * timeout passed (then returns what it has: the caller's assertion says what is missing).
     */
    public static List<ConsumerRecord<String, String>> read(Mark mark, Predicate<ConsumerRecord<String, String>> match,
            int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(mark.offsets().keySet());
            mark.offsets().forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    /** Records since the mark that match, waiting {@code quiet} for more: to prove something did NOT arrive. */
    public static List<ConsumerRecord<String, String>> readAll(Mark mark,
            Predicate<ConsumerRecord<String, String>> match, Duration quiet) {
        return read(mark, match, Integer.MAX_VALUE, quiet);
    }

    public static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Sends and waits for the ack of each record, in order; returns where each record was written. */
    public static List<RecordMetadata> send(String topic, List<Map.Entry<String, byte[]>> keyedValues) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<java.util.concurrent.Future<RecordMetadata>> acks = keyedValues.stream()
                    .map(kv -> producer.send(new ProducerRecord<>(topic, kv.getKey(), kv.getValue())))
                    .collect(Collectors.toList());
            List<RecordMetadata> written = new ArrayList<>(acks.size());
            for (var ack : acks) {
                written.add(ack.get());
            }
            return written;
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic + " at " + BOOTSTRAP, e);
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }
}
