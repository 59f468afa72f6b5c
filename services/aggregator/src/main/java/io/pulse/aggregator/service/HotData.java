package io.pulse.aggregator.service;

import io.pulse.aggregator.config.AggregatorConfig;
import io.pulse.aggregator.messaging.ConsumedEvent;
import io.pulse.shared.HotKeys;
import io.pulse.shared.event.EnrichedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hot data in Redis (key names in {@link HotKeys}), written after each PostgreSQL commit for the events that
 * were new in it:
 * <ul>
 * <li>{@code pulse:{p}:live} sorted set of persons by last-seen millis (live counters)</li>
 * <li>{@code pulse:{p}:stream} and {@code pulse:{p}:person:{id}:stream} capped Redis Streams (live feed, timelines)</li>
 * <li>{@code pulse:{p}:uniques:{epochMinute}} HyperLogLog of persons (real-time uniques)</li>
 * <li>{@code pulse:{p}:recent:{person}}, {@code pulse:{p}:co:{item}}, {@code pulse:{p}:trending:{epochHour}}
 * for recommendations</li>
 * </ul>
 * Events go in chunks of {@link #CHUNK_EVENTS}, one after another, each in at most two pipelined round trips: a
 * pipeline is encoded into one buffer, and a whole 10,000-event batch (two stream entries of each event's JSON)
 * would take tens of megabytes of heap at once. Redis holds nothing PostgreSQL cannot rebuild, so the caller never
 * fails a batch for it.
 */
@ApplicationScoped
public class HotData {

    /** Events per pipelined chunk: a few hundred kilobytes to encode, still few round trips per batch. */
    static final int CHUNK_EVENTS = 500;

    private final Redis redis;
    private final AggregatorConfig config;
    private final Set<String> itemEvents;

    public HotData(Redis redis, AggregatorConfig config) {
        this.redis = redis;
        this.config = config;
        this.itemEvents = Set.copyOf(config.recommendations().itemEvents());
    }

    /**
     * What Redis needs of one new human event. The batch's parsed events (~6.5 KB each) can then be collected
     * while Redis is written beside the next batch's transaction; keeping them doubled the aggregator's live heap.
     *
     * @param item the recommendation item it viewed, or null
     */
    public record HotEvent(String projectId, String person, String name, long seenMillis, long eventMillis,
            String item, String json) {
    }

    /** The new events' Redis view, bots left out (they are counted in PostgreSQL only). */
    public List<HotEvent> hotEvents(List<ConsumedEvent> newEvents) {
        List<HotEvent> hot = new ArrayList<>(newEvents.size());
        for (ConsumedEvent consumed : newEvents) {
            EnrichedEvent e = consumed.event();
            if (e.enrichment() == null || !e.enrichment().bot()) {
                hot.add(new HotEvent(e.event().projectId(), person(e), e.event().displayName(), seenMillis(e),
                        eventMillis(e), item(e), consumed.json()));
            }
        }
        return hot;
    }

    public Uni<Void> record(List<HotEvent> events) {
        if (events.size() <= CHUNK_EVENTS) {
            return recordChunk(events);
        }
        List<List<HotEvent>> chunks = new ArrayList<>();
        for (int from = 0; from < events.size(); from += CHUNK_EVENTS) {
            chunks.add(events.subList(from, Math.min(events.size(), from + CHUNK_EVENTS)));
        }
        // In order: a chunk reads the recent items the one before it wrote.
        return Multi.createFrom().iterable(chunks).onItem().transformToUniAndConcatenate(this::recordChunk)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> recordChunk(List<HotEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Request> writes = new ArrayList<>();
        liveAndUniques(events, writes);
        streams(events, writes);
        List<HotEvent> views = events.stream().filter(e -> e.item() != null).toList();
        if (views.isEmpty()) {
            return redis.batch(writes).replaceWithVoid();
        }
        // Co-occurrence needs each person's recent items first: one read round trip, then all writes.
        List<String> recentKeys = views.stream().map(v -> HotKeys.recent(v.projectId(), v.person())).distinct().toList();
        List<Request> reads = recentKeys.stream().map(k -> Request.cmd(Command.ZRANGE).arg(k).arg(0).arg(-1)).toList();
        return redis.batch(reads).chain(responses -> {
            Map<String, LinkedHashSet<String>> recent = new HashMap<>();
            for (int i = 0; i < recentKeys.size(); i++) {
                LinkedHashSet<String> items = new LinkedHashSet<>();
                Response response = responses.get(i);
                if (response != null) {
                    response.forEach(item -> items.add(item.toString()));
                }
                recent.put(recentKeys.get(i), items);
            }
            recommendations(views, recent, writes);
            return redis.batch(writes).replaceWithVoid();
        });
    }

    private void liveAndUniques(List<HotEvent> events, List<Request> writes) {
        Map<String, Map<String, Long>> lastSeen = new HashMap<>();
        Map<String, Set<String>> uniques = new LinkedHashMap<>();
        for (HotEvent e : events) {
            lastSeen.computeIfAbsent(e.projectId(), p -> new HashMap<>()).merge(e.person(), e.seenMillis(), Math::max);
            uniques.computeIfAbsent(HotKeys.uniques(e.projectId(), e.eventMillis() / 60_000),
                    k -> new LinkedHashSet<>()).add(e.person());
        }
        String horizon = Long.toString(Instant.now().minus(config.live().window()).toEpochMilli());
        lastSeen.forEach((project, persons) -> {
            Request zadd = Request.cmd(Command.ZADD).arg(HotKeys.live(project)).arg("GT");
            persons.forEach((person, millis) -> zadd.arg(millis).arg(person));
            writes.add(zadd);
            writes.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(HotKeys.live(project)).arg("-inf").arg(horizon));
        });
        uniques.forEach((key, persons) -> {
            Request pfadd = Request.cmd(Command.PFADD).arg(key);
            persons.forEach(pfadd::arg);
            writes.add(pfadd);
            writes.add(Request.cmd(Command.EXPIRE).arg(key).arg(7200));
        });
    }

    private void streams(List<HotEvent> events, List<Request> writes) {
        int projectCap = config.hot().projectStreamLength();
        int personCap = config.hot().personStreamLength();
        long personTtl = config.hot().personStreamTtl().toSeconds();
        Set<String> touchedPersonStreams = new LinkedHashSet<>();
        for (HotEvent e : events) {
            writes.add(Request.cmd(Command.XADD).arg(HotKeys.stream(e.projectId())).arg("MAXLEN").arg("~")
                    .arg(projectCap).arg("*").arg("event").arg(e.name()).arg("person").arg(e.person())
                    .arg("json").arg(e.json()));
            String personStream = HotKeys.personStream(e.projectId(), e.person());
            writes.add(Request.cmd(Command.XADD).arg(personStream).arg("MAXLEN").arg("~").arg(personCap)
                    .arg("*").arg("event").arg(e.name()).arg("json").arg(e.json()));
            touchedPersonStreams.add(personStream);
        }
        touchedPersonStreams.forEach(key -> writes.add(Request.cmd(Command.EXPIRE).arg(key).arg(personTtl)));
    }

    /** The recommendation item of an item event ({@code Product Viewed} → its {@code product_id}), or null. */
    private String item(EnrichedEvent e) {
        var properties = e.event().properties();
        String property = config.recommendations().itemProperty();
        if (!itemEvents.contains(e.event().displayName()) || properties == null || !properties.hasNonNull(property)) {
            return null;
        }
        String item = properties.get(property).asText();
        return item.isBlank() || item.length() > 200 ? null : item;
    }

    /**
     * For each item view (an event whose item is set), in event order: the item co-occurs (both ways) with each
     * item the person saw recently; then it becomes one of the person's recent items and counts toward the hour's
     * trending items.
     */
    private void recommendations(List<HotEvent> views, Map<String, LinkedHashSet<String>> recent, List<Request> writes) {
        int keep = config.recommendations().recentItems();
        for (HotEvent view : views) {
            String recentKey = HotKeys.recent(view.projectId(), view.person());
            LinkedHashSet<String> seen = recent.computeIfAbsent(recentKey, k -> new LinkedHashSet<>());
            for (String other : seen) {
                if (!other.equals(view.item())) {
                    writes.add(Request.cmd(Command.ZINCRBY).arg(HotKeys.coOccurrence(view.projectId(), view.item()))
                            .arg(1).arg(other));
                    writes.add(Request.cmd(Command.ZINCRBY).arg(HotKeys.coOccurrence(view.projectId(), other))
                            .arg(1).arg(view.item()));
                }
            }
            seen.remove(view.item());
            seen.add(view.item());
            writes.add(Request.cmd(Command.ZADD).arg(recentKey).arg(view.eventMillis()).arg(view.item()));
            String trending = HotKeys.trending(view.projectId(), view.eventMillis() / 3_600_000);
            writes.add(Request.cmd(Command.ZINCRBY).arg(trending).arg(1).arg(view.item()));
            writes.add(Request.cmd(Command.EXPIRE).arg(trending).arg(48 * 3600));
        }
        recent.keySet().forEach(key -> {
            writes.add(Request.cmd(Command.ZREMRANGEBYRANK).arg(key).arg(0).arg(-(keep + 1)));
            writes.add(Request.cmd(Command.EXPIRE).arg(key).arg(config.hot().personStreamTtl().toSeconds()));
        });
    }

    private static String person(EnrichedEvent e) {
        return e.enrichment() != null && e.enrichment().personId() != null ? e.enrichment().personId()
                : e.event().distinctId();
    }

    private static long seenMillis(EnrichedEvent e) {
        return e.event().receivedAt() != null ? e.event().receivedAt().toEpochMilli() : eventMillis(e);
    }

    private static long eventMillis(EnrichedEvent e) {
        return e.event().timestamp() != null ? e.event().timestamp().toEpochMilli()
                : e.event().receivedAt().toEpochMilli();
    }
}
