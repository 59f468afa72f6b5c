package io.pulse.query.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.query.storage.EventRepository;
import io.pulse.query.storage.HotDataReader;
import io.pulse.query.storage.HotDataReader.StreamEntry;
import io.pulse.shared.HotKeys;
import io.pulse.shared.codec.EventJson;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Live counters and person timelines, from the aggregator's hot data in Redis. */
@ApplicationScoped
public class LiveService {

    /** Most stream entries read to count the last minute; beyond this rate the count is a lower bound. */
    static final int MAX_MINUTE_ENTRIES = 100_000;

    private final HotDataReader hot;
    private final EventRepository events;

    public LiveService(HotDataReader hot, EventRepository events) {
        this.hot = hot;
        this.events = events;
    }

    public record Second(Instant time, long events) {
    }

    /**
     * @param activePersons    persons seen in the last 5 minutes
     * @param eventsLastMinute events the aggregator stored in the last 60 s
     * @param perSecond        the last 60 s, oldest first, the current second last
     */
    public record Live(Instant at, long activePersons, long eventsLastMinute, List<Second> perSecond) {
    }

    public Uni<Live> live(String projectId) {
        long now = System.currentTimeMillis();
        long nowSecond = now / 1000;
        long firstSecond = nowSecond - 59;
        Uni<Long> persons = hot.countLiveSince(projectId, now - Duration.ofMinutes(5).toMillis());
        Uni<List<StreamEntry>> minute = hot.range(HotKeys.stream(projectId), Long.toString(firstSecond * 1000),
                MAX_MINUTE_ENTRIES);
        return Uni.combine().all().unis(persons, minute).asTuple().map(t -> {
            long[] counts = new long[60];
            long total = 0;
            for (StreamEntry e : t.getItem2()) {
                int i = (int) (e.millis() / 1000 - firstSecond);
                if (i >= 0 && i < 60) {
                    counts[i]++;
                    total++;
                }
            }
            List<Second> series = new ArrayList<>(60);
            for (int i = 0; i < 60; i++) {
                series.add(new Second(Instant.ofEpochSecond(firstSecond + i), counts[i]));
            }
            return new Live(Instant.ofEpochMilli(now), t.getItem1(), total, series);
        });
    }

    /** One event of a timeline; {@code id} is the stream entry id when it came from Redis. */
    public record TimelineEvent(String id, Instant time, String event, String type, String messageId,
            JsonNode properties) {
    }

    /** @param source {@code stream} (Redis) or {@code events} (PostgreSQL, when Redis held nothing) */
    public record Timeline(String person, String source, List<TimelineEvent> events) {
    }

    public Uni<Timeline> timeline(String projectId, String person, int limit, Duration fallbackDepth) {
        return hot.newest(HotKeys.personStream(projectId, person), limit).chain(entries -> {
            if (!entries.isEmpty()) {
                List<TimelineEvent> out = new ArrayList<>();
                for (StreamEntry e : entries) {
                    out.add(fromJson(e.id(), e.fields().get("event"), e.fields().get("json"),
                            Instant.ofEpochMilli(e.millis())));
                }
                return Uni.createFrom().item(new Timeline(person, "stream", out));
            }
            return events.recentOfPerson(projectId, person, Instant.now().minus(fallbackDepth), limit)
                    .map(rows -> new Timeline(person, "events", rows.stream()
                            .map(r -> fromJson(null, r.event(), r.payload(), r.time())).toList()));
        });
    }

    static TimelineEvent fromJson(String id, String displayName, String json, Instant fallbackTime) {
        JsonNode event = null;
        try {
            event = json == null ? null : EventJson.MAPPER.readTree(json).path("event");
        } catch (Exception unreadable) {
            // Shown with what the entry says about itself.
        }
        if (event == null || event.isMissingNode()) {
            return new TimelineEvent(id, fallbackTime, displayName, null, null, null);
        }
        Instant time = fallbackTime;
        if (event.hasNonNull("timestamp")) {
            try {
                time = Instant.parse(event.get("timestamp").asText());
            } catch (Exception notIso) {
                // keep the fallback
            }
        }
        return new TimelineEvent(id, time, displayName, event.path("type").asText(null),
                event.path("messageId").asText(null), event.get("properties"));
    }
}
