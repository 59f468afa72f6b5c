package io.pulse.aggregator.config;

import io.pulse.aggregator.messaging.ConsumedEventDeserializer;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.shared.validation.DeadLetter;
import io.pulse.shared.validation.RejectReason;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection although Quarkus cannot see it being used: the contract records
 * go through shared's own ObjectMapper (EventJson) in the Kafka deserializer, which Kafka creates by name.
 */
@RegisterForReflection(targets = {EnrichedEvent.class, RawEvent.class, EventContext.class, EventType.class,
        Enrichment.class, DeadLetter.class, RejectReason.class, ConsumedEventDeserializer.class})
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
