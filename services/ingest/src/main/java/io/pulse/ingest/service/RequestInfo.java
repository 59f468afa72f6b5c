package io.pulse.ingest.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What a request says about all of its events.
 *
 * @param batchContext the batch envelope's {@code context}, merged under each item's own (may be null)
 * @param batchSentAt  the batch envelope's {@code sentAt} (may be null)
 * @param edgeCountry  the country the edge (CDN) saw the request come from (may be null)
 */
public record RequestInfo(
        String projectId,
        Instant receivedAt,
        String clientIp,
        String edgeCountry,
        ObjectNode batchContext,
        Instant batchSentAt) {
}
