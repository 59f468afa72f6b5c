package io.pulse.enricher.service;

import io.pulse.enricher.config.EnricherConfig;
import io.pulse.enricher.storage.PersonKey;
import io.pulse.enricher.storage.PersonStateStore;
import io.pulse.enricher.storage.SessionState;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw events of a consumed batch to enriched events, in order. Per event and without I/O: geography (before the
 * IP is anonymized), IP anonymization, user agent and bot flag, referrer and UTM. Per batch: one Redis round
 * trip reads the sessions and identity links of everyone in it, the events are sessionized and resolved in order
 * in memory, and {@link #save} writes the new state in one more round trip once the outputs are sent.
 *
 * <p>Output is deterministic for a given input and state. A batch retried before {@link #save} (Kafka or Redis
 * failed) reads the same state and produces the same records. A batch replayed after {@link #save} (crash
 * between the save and the ack) finds the state already advanced: its events may get the latest session id of
 * their distinct id instead of the one they got first, and none is a session start. We accept that rather than
 * version the state per offset: the aggregator keeps the first copy of each messageId anyway, so only records
 * that never reached it carry the later session id.
 */
@ApplicationScoped
public class Enricher {

    /** The enriched event, or why this event could not be enriched (it goes to the DLQ). */
    public record Outcome(EnrichedEvent event, RuntimeException failure) {
    }

    /** Outcomes in the order of the events, and the state to save once they are sent. */
    public record Batch(List<Outcome> outcomes, Map<PersonKey, SessionState> sessions, Map<PersonKey, String> links) {
    }

    /** The outcome of the steps that need no state. */
    record Prepared(RawEvent event, UserAgentClassifier.Agent agent, Enrichment.Geo geo,
            TrafficSources.Source source, long eventMillis, RuntimeException failure) {
        PersonKey person() {
            return new PersonKey(event.projectId(), event.distinctId());
        }
    }

    private final UserAgentClassifier agents;
    private final GeoLocator geoLocator;
    private final TrafficSources sources;
    private final PersonStateStore state;
    private final Sessionizer sessionizer;

    @Inject
    public Enricher(UserAgentClassifier agents, GeoLocator geoLocator, TrafficSources sources, PersonStateStore state,
            EnricherConfig config) {
        this(agents, geoLocator, sources, state, config.session().timeout());
    }

    Enricher(UserAgentClassifier agents, GeoLocator geoLocator, TrafficSources sources, PersonStateStore state,
            Duration sessionTimeout) {
        this.agents = agents;
        this.geoLocator = geoLocator;
        this.sources = sources;
        this.state = state;
        this.sessionizer = new Sessionizer(sessionTimeout);
    }

    /** One outcome per event, in order. Fails only when Redis does (the caller retries the batch). */
    public Uni<Batch> enrich(List<RawEvent> events) {
        // The per-event steps are CPU work (a user agent not yet cached takes a millisecond): off the event loop.
        return Uni.createFrom().item(() -> prepare(events))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(prepared -> state.load(sessionKeys(prepared), identityKeys(prepared))
                        .map(loaded -> assemble(prepared, loaded)));
    }

    /** Writes the batch's sessions and new links; call after its outputs are acknowledged. */
    public Uni<Void> save(Batch batch) {
        return state.save(batch.sessions(), batch.links());
    }

    List<Prepared> prepare(List<RawEvent> events) {
        List<Prepared> prepared = new ArrayList<>(events.size());
        for (RawEvent event : events) {
            try {
                prepared.add(prepare(event));
            } catch (RuntimeException e) {
                prepared.add(new Prepared(event, null, null, null, 0, e));
            }
        }
        return prepared;
    }

    Prepared prepare(RawEvent raw) {
        if (raw.distinctId() == null || raw.distinctId().isBlank()) {
            throw new IllegalArgumentException("no userId and no anonymousId");
        }
        Instant time = raw.timestamp() != null ? raw.timestamp() : raw.receivedAt();
        if (time == null) {
            throw new IllegalArgumentException("no timestamp and no receivedAt");
        }
        EventContext context = raw.contextOrEmpty();
        // Geography from the full address, then the address is cut: it never leaves the enricher.
        Enrichment.Geo geo = geoLocator.locate(context);
        RawEvent anonymized = raw.withContext(context.withIp(IpAnonymizer.anonymize(context.ip())));
        return new Prepared(anonymized, agents.classify(context.userAgent()), geo, sources.classify(context.page()),
                time.toEpochMilli(), null);
    }

    Batch assemble(List<Prepared> prepared, PersonStateStore.Loaded loaded) {
        IdentityLinks links = new IdentityLinks(loaded.links());
        Map<PersonKey, SessionState> sessions = new HashMap<>(loaded.sessions());
        Map<PersonKey, SessionState> changed = new LinkedHashMap<>();
        List<Outcome> outcomes = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            if (p.failure() != null) {
                outcomes.add(new Outcome(null, p.failure()));
                continue;
            }
            RawEvent event = p.event();
            String project = event.projectId();
            if (event.type() == EventType.IDENTIFY) {
                links.link(project, event.anonymousId(), event.userId());
            } else if (event.type() == EventType.ALIAS) {
                links.link(project, event.previousId(), event.userId());
            }
            PersonKey person = p.person();
            Sessionizer.Assignment session = sessionizer.next(sessions.get(person), p.eventMillis(),
                    project + '\n' + person.id() + '\n' + event.messageId());
            sessions.put(person, session.state());
            changed.put(person, session.state());
            Enrichment enrichment = new Enrichment(links.resolve(project, person.id()), session.state().sessionId(),
                    session.start(), p.agent().bot(), p.agent().device(), p.geo(), p.source().referrer(),
                    p.source().utm());
            outcomes.add(new Outcome(new EnrichedEvent(event, enrichment), null));
        }
        return new Batch(outcomes, changed, links.added());
    }

    private static List<PersonKey> sessionKeys(List<Prepared> prepared) {
        List<PersonKey> keys = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            if (p.failure() == null) {
                keys.add(p.person());
            }
        }
        return keys;
    }

    /** Every distinct id (to resolve it) and every id an identify or alias links (first link wins). */
    private static List<PersonKey> identityKeys(List<Prepared> prepared) {
        List<PersonKey> keys = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            if (p.failure() != null) {
                continue;
            }
            RawEvent event = p.event();
            keys.add(p.person());
            if (event.type() == EventType.IDENTIFY && event.anonymousId() != null) {
                keys.add(new PersonKey(event.projectId(), event.anonymousId()));
            } else if (event.type() == EventType.ALIAS && event.previousId() != null) {
                keys.add(new PersonKey(event.projectId(), event.previousId()));
            }
        }
        return keys;
    }
}
