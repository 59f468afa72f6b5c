package io.pulse.query.service;

import io.pulse.query.config.QueryConfig;
import io.pulse.query.storage.HotDataReader;
import io.pulse.query.storage.HotDataReader.StreamEntry;
import io.pulse.shared.HotKeys;
import io.pulse.shared.http.ApiException;
import io.quarkus.redis.client.RedisClientName;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Follows a project's Redis Stream with XREAD BLOCK. Blocking reads use their own Redis client ("stream") so
 * that subscribers holding connections never starve the cache and counters.
 */
@ApplicationScoped
public class StreamService {

    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
    private static final int BATCH = 500;

    private final Redis redis;
    private final HotDataReader hot;
    private final QueryConfig config;

    public StreamService(@RedisClientName("stream") Redis redis, HotDataReader hot, QueryConfig config) {
        this.redis = redis;
        this.hot = hot;
        this.config = config;
    }

    /** Checks a Last-Event-ID before anything is sent, so a bad one is a 400 and not a broken stream. */
    public static String checkLastEventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        if (!ENTRY_ID.matcher(lastEventId.trim()).matches()) {
            throw new ApiException(400, "invalid_parameter", "Last-Event-ID",
                    "Last-Event-ID must be a stream entry id such as 1764755200000-0");
        }
        return lastEventId.trim();
    }

    /**
     * Entries after {@code lastEventId} (or, without one, entries added from now on), filtered by event name and
     * person when given. Never completes; cancelling stops it after the current XREAD returns.
     */
    public Multi<StreamEntry> follow(String projectId, String lastEventId, String event, String person) {
        String key = HotKeys.stream(projectId);
        Uni<String> start = lastEventId != null ? Uni.createFrom().item(lastEventId)
                : hot.newest(key, 1).map(newest -> newest.isEmpty() ? "0-0" : newest.get(0).id());
        return start.onItem().transformToMulti(first -> {
            AtomicReference<String> cursor = new AtomicReference<>(first);
            long blockMillis = config.stream().block().toMillis();
            return Multi.createBy().repeating()
                    .uni(() -> redis.send(Request.cmd(Command.XREAD).arg("COUNT").arg(BATCH).arg("BLOCK")
                            .arg(blockMillis).arg("STREAMS").arg(key).arg(cursor.get()))
                            .map(reply -> entries(reply, key)))
                    .indefinitely()
                    .onItem().transformToIterable(entries -> {
                        if (!entries.isEmpty()) {
                            cursor.set(entries.get(entries.size() - 1).id());
                        }
                        return entries;
                    })
                    .select().where(e -> (event == null || event.equals(e.fields().get("event")))
                            && (person == null || person.equals(e.fields().get("person"))));
        });
    }

    /** XREAD answers null on timeout, a map {key: entries} in RESP3, [[key, entries]] in RESP2. */
    static List<StreamEntry> entries(Response reply, String key) {
        if (reply == null || reply.size() == 0) {
            return List.of();
        }
        Response entries = reply.containsKey(key) ? reply.get(key) : reply.get(0).get(1);
        return HotDataReader.entries(entries);
    }
}
