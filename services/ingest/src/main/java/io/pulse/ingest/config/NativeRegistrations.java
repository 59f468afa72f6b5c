package io.pulse.ingest.config;

import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.shared.http.Problem;
import io.pulse.shared.validation.DeadLetter;
import io.pulse.shared.validation.RejectReason;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection although Quarkus cannot see it being used: the contract records
 * go through shared's own ObjectMapper (EventJson), not Quarkus REST, and Problem is a Response entity.
 * Start-time initialization of {@code Uuid7} (a SecureRandom) is in application.properties.
 */
@RegisterForReflection(targets = {RawEvent.class, EventContext.class, EventType.class, DeadLetter.class,
        RejectReason.class, Problem.class})
final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
