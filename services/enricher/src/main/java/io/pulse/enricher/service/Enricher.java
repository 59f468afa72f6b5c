package io.pulse.enricher.service;

import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Raw event to enriched event. Deterministic for a given input and state: a replayed record produces the same
 * output, which the aggregator's primary key then ignores.
 */
@ApplicationScoped
public class Enricher {

    public EnrichedEvent enrich(RawEvent raw) {
        RawEvent anonymized = raw.withContext(raw.contextOrEmpty().withIp(IpAnonymizer.anonymize(raw.contextOrEmpty().ip())));
        return new EnrichedEvent(anonymized, Enrichment.identityOnly(raw.distinctId()));
    }
}
