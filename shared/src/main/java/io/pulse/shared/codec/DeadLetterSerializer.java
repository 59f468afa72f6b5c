package io.pulse.shared.codec;

import io.pulse.shared.validation.DeadLetter;

public final class DeadLetterSerializer extends JsonSerde.JsonSerializer<DeadLetter> {
}
