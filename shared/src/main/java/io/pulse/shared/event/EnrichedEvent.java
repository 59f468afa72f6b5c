package io.pulse.shared.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An event on {@code pulse.events.enriched}: the raw event (its IP already anonymized) and what the enricher
 * learned about it. Keyed like the raw event, {@code projectId:distinctId}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrichedEvent(RawEvent event, Enrichment enrichment) {

    public String key() {
        return event.key();
    }
}
