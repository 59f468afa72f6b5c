package io.pulse.aggregator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.shared.HotKeys;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dimension rollups, identity links and Redis hot data, from enriched records on the real topic. */
@QuarkusTest
class RollupsAndHotDataTest {

    private final String project = "h-" + UUID.randomUUID().toString().substring(0, 12);
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private final RedisDataSource redis;
    private int tick;

    RollupsAndHotDataTest(RedisDataSource redis) {
        this.redis = redis;
    }

    private EnrichedEvent event(EventType type, String userId, String anonymousId, String name, String product,
            String country, String browser, String path, boolean bot) {
        Instant time = minute.plusSeconds(1).plusMillis(tick++); // distinct times: recent items are ordered by time
        var properties = product == null ? null : JsonNodeFactory.instance.objectNode().put("product_id", product);
        EventContext context = new EventContext("81.2.69.0", "UA", new EventContext.Page(
                "https://shop.example" + path, path, null, null, null), null, null, null, null);
        RawEvent raw = new RawEvent(1, type, UUID.randomUUID().toString(), project, userId, anonymousId, name,
                null, null, null, properties, null, context, time, time, time, Instant.now());
        String person = userId != null ? userId : anonymousId;
        return new EnrichedEvent(raw, new Enrichment(person, null, false, bot,
                new Enrichment.Device(browser, "1", "Linux", "Desktop"), new Enrichment.Geo(country, null, null),
                new Enrichment.Referrer("google.com", "search"), null));
    }

    private void send(List<EnrichedEvent> events) {
        TestKafka.send(Topics.ENRICHED, events.stream().map(e -> Map.entry(e.key(), EventJson.toBytes(e))).toList());
    }

    private long dimension(String event, String dimension, String value) {
        return TestDatabase.queryLong("""
                SELECT coalesce(sum(events), 0) FROM rollup_dimension_minute
                 WHERE project_id = ? AND event_name = ? AND dimension = ? AND value = ?""",
                project, event, dimension, value);
    }

    @Test
    void dimensionsAreRolledUpWithoutBots() {
        List<EnrichedEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(event(EventType.TRACK, "u" + i, null, "Viewed", null, i < 4 ? "GB" : "SE",
                    i % 2 == 0 ? "Chrome" : "Firefox", "/pricing", false));
        }
        events.add(event(EventType.TRACK, "bot", null, "Viewed", null, "GB", "Googlebot", "/pricing", true));
        send(events);

        await().atMost(Duration.ofSeconds(20)).until(() -> dimension("Viewed", "path", "/pricing") == 6);
        assertThat(dimension("Viewed", "country", "GB")).isEqualTo(4);
        assertThat(dimension("Viewed", "country", "SE")).isEqualTo(2);
        assertThat(dimension("Viewed", "browser", "Chrome")).isEqualTo(3);
        assertThat(dimension("Viewed", "browser", "Googlebot")).isZero();
        assertThat(dimension("Viewed", "channel", "search")).isEqualTo(6);
        assertThat(dimension("Viewed", "referrer", "google.com")).isEqualTo(6);
        assertThat(TestDatabase.queryLong("""
                SELECT coalesce(sum(events), 0) FROM rollup_dimension_hour
                 WHERE project_id = ? AND event_name = 'Viewed' AND dimension = 'country' AND value = 'GB'""",
                project)).as("hour rollups of a dimension").isEqualTo(4);
    }

    @Test
    void identifyAndAliasLinkAnonymousVisitorsOnce() {
        send(List.of(
                event(EventType.IDENTIFY, "ada", "anon-1", null, null, "GB", "Chrome", "/", false),
                event(EventType.IDENTIFY, "eve", "anon-1", null, null, "GB", "Chrome", "/", false)));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.queryLong(
                "SELECT count(*) FROM identities WHERE project_id = ?", project) == 1);
        assertThat(TestDatabase.queryLong(
                "SELECT count(*) FROM identities WHERE project_id = ? AND anonymous_id = 'anon-1' AND user_id = 'ada'",
                project)).as("the first link wins").isEqualTo(1);
    }

    @Test
    void hotDataFeedsLiveCountersStreamsAndRecommendations() {
        send(List.of(
                event(EventType.TRACK, "ann", null, "Product Viewed", "shoe", "GB", "Chrome", "/p/shoe", false),
                event(EventType.TRACK, "ann", null, "Product Viewed", "hat", "GB", "Chrome", "/p/hat", false),
                event(EventType.TRACK, "bob", null, "Product Viewed", "shoe", "GB", "Chrome", "/p/shoe", false),
                event(EventType.TRACK, "bob", null, "Product Viewed", "sock", "GB", "Chrome", "/p/sock", false),
                event(EventType.TRACK, "crawler", null, "Product Viewed", "hat", "US", "Googlebot", "/p/hat", true)));

        var sortedSets = redis.sortedSet(String.class);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sortedSets.zcard(HotKeys.coOccurrence(project, "shoe")) == 2);
        assertThat(sortedSets.zscore(HotKeys.coOccurrence(project, "shoe"), "hat").getAsDouble()).isEqualTo(1.0);
        assertThat(sortedSets.zscore(HotKeys.coOccurrence(project, "shoe"), "sock").getAsDouble()).isEqualTo(1.0);
        assertThat(sortedSets.zscore(HotKeys.coOccurrence(project, "hat"), "shoe").getAsDouble()).isEqualTo(1.0);
        assertThat(sortedSets.zrange(HotKeys.recent(project, "ann"), 0, -1)).containsExactly("shoe", "hat");
        assertThat(sortedSets.zrange(HotKeys.live(project), 0, -1)).containsExactlyInAnyOrder("ann", "bob");
        assertThat(redis.stream(String.class).xlen(HotKeys.stream(project))).isEqualTo(4);
        assertThat(redis.stream(String.class).xlen(HotKeys.personStream(project, "bob"))).isEqualTo(2);
        long epochMinute = minute.plusSeconds(1).toEpochMilli() / 60_000;
        assertThat(redis.hyperloglog(String.class).pfcount(HotKeys.uniques(project, epochMinute))).isEqualTo(2);
    }
}
