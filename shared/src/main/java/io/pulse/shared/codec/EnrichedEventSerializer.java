package io.pulse.shared.codec;

import io.pulse.shared.event.EnrichedEvent;

public final class EnrichedEventSerializer extends JsonSerde.JsonSerializer<EnrichedEvent> {
}
