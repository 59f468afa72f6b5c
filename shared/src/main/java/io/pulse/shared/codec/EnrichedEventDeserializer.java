package io.pulse.shared.codec;

import io.pulse.shared.event.EnrichedEvent;

public final class EnrichedEventDeserializer extends JsonSerde.JsonDeserializer<EnrichedEvent> {
    public EnrichedEventDeserializer() {
        super(EnrichedEvent.class);
    }
}
