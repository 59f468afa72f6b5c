package io.pulse.shared.codec;

import io.pulse.shared.event.RawEvent;

public final class RawEventSerializer extends JsonSerde.JsonSerializer<RawEvent> {
}
