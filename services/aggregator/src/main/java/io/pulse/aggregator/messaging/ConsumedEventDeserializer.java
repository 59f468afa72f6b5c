package io.pulse.aggregator.messaging;

import io.pulse.shared.codec.EnrichedEventDeserializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;

/** The contract's deserializer, keeping the bytes it read (see {@link ConsumedEvent}). Poison still throws. */
public final class ConsumedEventDeserializer implements Deserializer<ConsumedEvent> {

    private final EnrichedEventDeserializer contract = new EnrichedEventDeserializer();

    @Override
    public ConsumedEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return new ConsumedEvent(contract.deserialize(topic, data), new String(data, StandardCharsets.UTF_8));
    }
}
