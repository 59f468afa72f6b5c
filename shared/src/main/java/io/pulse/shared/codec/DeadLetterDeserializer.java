package io.pulse.shared.codec;

import io.pulse.shared.validation.DeadLetter;

public final class DeadLetterDeserializer extends JsonSerde.JsonDeserializer<DeadLetter> {
    public DeadLetterDeserializer() {
        super(DeadLetter.class);
    }
}
