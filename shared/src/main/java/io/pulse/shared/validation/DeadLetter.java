package io.pulse.shared.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A record on {@code pulse.events.dlq}: what was refused, where, why, and the original payload, so nothing a
 * client sent is silently dropped.
 *
 * @param stage   the service that refused it: ingest, enricher, aggregator
 * @param payload the event as received (JSON), or its text when it was not JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
        String stage,
        RejectReason reason,
        String field,
        String message,
        String projectId,
        Instant at,
        JsonNode payload,
        String payloadText) {
}
