package io.pulse.shared.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends records in order with one producer and completes once Kafka acknowledged all of them: one completion
 * per batch instead of a future (and a thread switch) per record. Fails at the first failure, including a
 * send refused at once (buffer full or no metadata within {@code max.block.ms}).
 */
public final class KafkaSends {

    private KafkaSends() {
    }

    public static <K, V> CompletableFuture<Void> all(Producer<K, V> producer, List<ProducerRecord<K, V>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (records.isEmpty()) {
            done.complete(null);
            return done;
        }
        AtomicInteger pending = new AtomicInteger(records.size());
        Callback callback = (metadata, exception) -> {
            if (exception != null) {
                done.completeExceptionally(exception); // the first failure wins
            } else if (pending.decrementAndGet() == 0) {
                done.complete(null);
            }
        };
        try {
            for (ProducerRecord<K, V> record : records) {
                producer.send(record, callback);
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
