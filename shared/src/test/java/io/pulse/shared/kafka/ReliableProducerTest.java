package io.pulse.shared.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ReliableProducerTest {

    private static Map<String, Object> config(Map<String, Object> kafka) {
        return ReliableProducer.config(kafka, "test", Duration.ofMillis(2), Duration.ofMillis(20));
    }

    @Test
    void compressesWithSnappyUnlessKafkaSettingsSayOtherwise() {
        assertThat(config(Map.of("bootstrap.servers", "b:9092")))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy")
                .containsEntry("bootstrap.servers", "b:9092");
        assertThat(config(Map.of("compression.type", "zstd")))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    }

    @Test
    void kafkaSettingsCannotWeakenTheDeliveryGuarantees() {
        Map<String, Object> props = config(Map.of("acks", "1", "enable.idempotence", "false", "linger.ms", "50"));

        assertThat(props)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 2)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20);
    }
}
