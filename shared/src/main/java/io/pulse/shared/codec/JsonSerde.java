package io.pulse.shared.codec;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka (de)serializers of the contract records through {@link EventJson}. Kafka needs no-arg classes. */
public final class JsonSerde {

    private JsonSerde() {
    }

    abstract static class JsonSerializer<T> implements Serializer<T> {
        @Override
        public byte[] serialize(String topic, T data) {
            return data == null ? null : EventJson.toBytes(data);
        }
    }

    abstract static class JsonDeserializer<T> implements Deserializer<T> {
        private final Class<T> type;

        JsonDeserializer(Class<T> type) {
            this.type = type;
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                return EventJson.fromBytes(data, type);
            } catch (RuntimeException e) {
                throw new SerializationException("not a " + type.getSimpleName() + " on " + topic, e);
            }
        }
    }
}
