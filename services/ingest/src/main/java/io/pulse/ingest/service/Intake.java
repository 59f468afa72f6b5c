package io.pulse.ingest.service;

import io.pulse.shared.event.RawEvent;
import io.pulse.shared.validation.Violation;
import com.fasterxml.jackson.databind.JsonNode;

/** The outcome of taking in one event: accepted and ready to publish, or rejected with the reason. */
public sealed interface Intake {

    /** @param json the event serialized once, as it goes to Kafka */
    record Accepted(RawEvent event, byte[] json) implements Intake {
    }

    /** @param original the item as the client sent it, kept for the dead-letter topic */
    record Rejected(Violation violation, JsonNode original) implements Intake {
    }
}
