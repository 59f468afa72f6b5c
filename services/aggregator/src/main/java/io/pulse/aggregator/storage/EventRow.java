package io.pulse.aggregator.storage;

import io.pulse.shared.Dimensions;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * One row of {@code events}, derived from an enriched event, with what its rollups and identity link need.
 *
 * @param dimensions {country=GB, browser=Chrome, …} for the dimension rollups
 * @param personHash {@link PersonHash} of personId, for the HyperLogLog sketches of persons
 * @param linkedAnonymousId for identify (with both ids) and alias: the anonymous id now known as distinctId
 */
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
        String payloadJson,
        Map<String, String> dimensions,
        long personHash,
        String linkedAnonymousId) {

    /** @param json the enriched event as it was consumed, stored as the payload */
    public static EventRow of(EnrichedEvent enriched, String json) {
        RawEvent e = enriched.event();
        Enrichment x = enriched.enrichment() != null ? enriched.enrichment() : Enrichment.identityOnly(null);
        String distinctId = e.distinctId();
        Instant time = e.timestamp() != null ? e.timestamp() : e.receivedAt();
        String personId = x.personId() != null ? x.personId() : distinctId;
        return new EventRow(
                e.projectId(),
                utc(time),
                e.messageId(),
                e.type().wireName(),
                e.displayName(),
                distinctId,
                personId,
                x.sessionId(),
                x.bot(),
                utc(e.receivedAt() != null ? e.receivedAt() : time),
                json,
                Dimensions.of(enriched),
                PersonHash.of(personId),
                linkedAnonymousId(e));
    }

    /** The primary key: a batch must not hold two rows with the same one (see EventBatchWriter). */
    public String key() {
        return projectId + '\u0000' + eventTime + '\u0000' + messageId;
    }

    private static String linkedAnonymousId(RawEvent e) {
        if (e.userId() == null || e.userId().isBlank()) {
            return null;
        }
        if (e.type() == EventType.ALIAS) {
            return e.previousId();
        }
        if (e.type() == EventType.IDENTIFY && e.anonymousId() != null && !e.anonymousId().isBlank()) {
            return e.anonymousId();
        }
        return null;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
