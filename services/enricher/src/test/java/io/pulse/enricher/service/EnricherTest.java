package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.enricher.storage.PersonKey;
import io.pulse.enricher.storage.PersonStateStore;
import io.pulse.enricher.storage.SessionState;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batch logic without Redis: the state a batch starts from is given, the state it leaves is checked. */
class EnricherTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static Enricher enricher;

    @BeforeAll
    static void buildOnce() {
        enricher = new Enricher(new UserAgentClassifier(100), new GeoLocator(Optional.empty()), new TrafficSources(),
                null, Duration.ofMinutes(30));
    }

    private static RawEvent event(EventType type, String userId, String anonymousId, String previousId,
            Instant time) {
        EventContext context = new EventContext("81.2.69.142", "Mozilla/5.0 (compatible; Googlebot/2.1; "
                + "+http://www.google.com/bot.html)", new EventContext.Page("https://shop.example/?utm_source=x",
                        "/", "https://www.google.com/", null, null), null, null, null, "GB");
        return new RawEvent(1, type, UUID.randomUUID().toString(), "p", userId, anonymousId,
                type == EventType.TRACK ? "Step" : null, null, null, previousId, null, null, context, time, time,
                time, time);
    }

    private static Enricher.Batch run(List<RawEvent> events, PersonStateStore.Loaded loaded) {
        return enricher.assemble(enricher.prepare(events), loaded);
    }

    private static Enrichment enrichment(Enricher.Batch batch, int index) {
        return batch.outcomes().get(index).event().enrichment();
    }

    @Test
    void everyStepLandsInTheEnrichmentAndTheIpIsCut() {
        Enricher.Batch batch = run(List.of(event(EventType.TRACK, null, "anon", null, T0)),
                new PersonStateStore.Loaded(Map.of(), Map.of()));
        Enrichment e = enrichment(batch, 0);
        assertThat(e.personId()).isEqualTo("anon");
        assertThat(e.bot()).isTrue();
        assertThat(e.sessionStart()).isTrue();
        assertThat(e.geo()).isEqualTo(new Enrichment.Geo("GB", null, null));
        assertThat(e.referrer()).isEqualTo(new Enrichment.Referrer("google.com", "search"));
        assertThat(e.utm().source()).isEqualTo("x");
        assertThat(batch.outcomes().get(0).event().event().context().ip()).isEqualTo("81.2.69.0");
    }

    @Test
    void oneDistinctIdsEventsAreSessionizedInOrderWithinTheBatchAndSavedOnce() {
        Enricher.Batch batch = run(List.of(
                event(EventType.TRACK, "ada", null, null, T0),
                event(EventType.TRACK, "ada", null, null, T0.plus(Duration.ofMinutes(10))),
                event(EventType.TRACK, "ada", null, null, T0.plus(Duration.ofMinutes(41))),
                event(EventType.TRACK, "ada", null, null, T0.plus(Duration.ofMinutes(42)))),
                new PersonStateStore.Loaded(Map.of(), Map.of()));
        assertThat(batch.outcomes()).extracting(o -> o.event().enrichment().sessionStart())
                .containsExactly(true, false, true, false);
        String first = enrichment(batch, 0).sessionId();
        String second = enrichment(batch, 2).sessionId();
        assertThat(enrichment(batch, 1).sessionId()).isEqualTo(first);
        assertThat(enrichment(batch, 3).sessionId()).isEqualTo(second).isNotEqualTo(first);
        assertThat(batch.sessions()).containsExactly(Map.entry(new PersonKey("p", "ada"),
                new SessionState(second, T0.plus(Duration.ofMinutes(42)).toEpochMilli())));
    }

    @Test
    void aStoredSessionContinuesOrTimesOut() {
        PersonKey ada = new PersonKey("p", "ada");
        PersonStateStore.Loaded loaded = new PersonStateStore.Loaded(
                Map.of(ada, new SessionState("stored", T0.toEpochMilli())), Map.of());
        Enricher.Batch within = run(List.of(event(EventType.TRACK, "ada", null, null, T0.plusSeconds(60))), loaded);
        assertThat(enrichment(within, 0).sessionId()).isEqualTo("stored");
        assertThat(enrichment(within, 0).sessionStart()).isFalse();
        Enricher.Batch after = run(List.of(event(EventType.TRACK, "ada", null, null, T0.plusSeconds(31 * 60))),
                loaded);
        assertThat(enrichment(after, 0).sessionId()).isNotEqualTo("stored");
        assertThat(enrichment(after, 0).sessionStart()).isTrue();
    }

    @Test
    void anAnonymousVisitorResolvesToTheUserAfterIdentifyInTheSameBatch() {
        Enricher.Batch batch = run(List.of(
                event(EventType.PAGE, null, "anon-1", null, T0),
                event(EventType.IDENTIFY, "ada", "anon-1", null, T0.plusSeconds(1)),
                event(EventType.PAGE, null, "anon-1", null, T0.plusSeconds(2)),
                event(EventType.ALIAS, "ada", null, "ada-old-id", T0.plusSeconds(3)),
                event(EventType.TRACK, "ada-old-id", null, null, T0.plusSeconds(4))),
                new PersonStateStore.Loaded(Map.of(), Map.of()));
        assertThat(batch.outcomes()).extracting(o -> o.event().enrichment().personId())
                .containsExactly("anon-1", "ada", "ada", "ada", "ada");
        assertThat(batch.links()).containsOnly(Map.entry(new PersonKey("p", "anon-1"), "ada"),
                Map.entry(new PersonKey("p", "ada-old-id"), "ada"));
    }

    @Test
    void aLinkStoredBeforeResolvesTheAnonymousId() {
        Enricher.Batch batch = run(List.of(event(EventType.TRACK, null, "anon-1", null, T0)),
                new PersonStateStore.Loaded(Map.of(), Map.of(new PersonKey("p", "anon-1"), "ada")));
        assertThat(enrichment(batch, 0).personId()).isEqualTo("ada");
        assertThat(batch.links()).isEmpty();
    }

    @Test
    void anEventWithoutAnyIdFailsAloneAndTheOthersAreEnriched() {
        Enricher.Batch batch = run(List.of(event(EventType.TRACK, null, null, null, T0),
                event(EventType.TRACK, "ada", null, null, T0)), new PersonStateStore.Loaded(Map.of(), Map.of()));
        assertThat(batch.outcomes().get(0).failure()).isInstanceOf(IllegalArgumentException.class);
        assertThat(batch.outcomes().get(1).event()).isNotNull();
    }
}
