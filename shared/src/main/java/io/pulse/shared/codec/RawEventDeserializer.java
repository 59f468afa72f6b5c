package io.pulse.shared.codec;

import io.pulse.shared.event.RawEvent;

public final class RawEventDeserializer extends JsonSerde.JsonDeserializer<RawEvent> {
    public RawEventDeserializer() {
        super(RawEvent.class);
    }
}
