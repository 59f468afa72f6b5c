package io.pulse.aggregator.storage;

import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.RawEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** One row of {@code events}, derived from an enriched event. */
public record EventRow(
        String projectId,
        OffsetDateTime eventTime,
        String messageId,
        String type,
        String eventName,
        String distinctId,
        String personId,
        String sessionId,
        boolean bot,
        OffsetDateTime receivedAt,
        String payloadJson) {

    public static EventRow of(EnrichedEvent enriched) {
        RawEvent e = enriched.event();
        Enrichment x = enriched.enrichment() != null ? enriched.enrichment() : Enrichment.identityOnly(null);
        String distinctId = e.distinctId();
        Instant time = e.timestamp() != null ? e.timestamp() : e.receivedAt();
        return new EventRow(
                e.projectId(),
                utc(time),
                e.messageId(),
                e.type().wireName(),
                e.displayName(),
                distinctId,
                x.personId() != null ? x.personId() : distinctId,
                x.sessionId(),
                x.bot(),
                utc(e.receivedAt() != null ? e.receivedAt() : time),
                new String(EventJson.toBytes(enriched), StandardCharsets.UTF_8));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
