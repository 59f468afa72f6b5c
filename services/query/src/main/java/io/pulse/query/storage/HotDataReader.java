package io.pulse.query.storage;

import io.pulse.shared.HotKeys;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the hot data the aggregator keeps in Redis (see {@link HotKeys}). Replies of RESP2 and RESP3 alike. */
@ApplicationScoped
public class HotDataReader {

    /** One Redis Stream entry: its id ({@code millis-seq}) and fields. */
    public record StreamEntry(String id, Map<String, String> fields) {

        public long millis() {
            return Long.parseLong(id.substring(0, id.indexOf('-')));
        }
    }

    public record Scored(String member, double score) {
    }

    private final Redis redis;

    public HotDataReader(Redis redis) {
        this.redis = redis;
    }

    public Uni<Long> countLiveSince(String projectId, long sinceMillis) {
        return redis.send(Request.cmd(Command.ZCOUNT).arg(HotKeys.live(projectId)).arg(sinceMillis).arg("+inf"))
                .map(r -> r == null ? 0L : r.toLong());
    }

    /** Entries of a stream from {@code startId} on, oldest first, at most {@code count}. */
    public Uni<List<StreamEntry>> range(String key, String startId, int count) {
        return redis.send(Request.cmd(Command.XRANGE).arg(key).arg(startId).arg("+").arg("COUNT").arg(count))
                .map(HotDataReader::entries);
    }

    /** The newest {@code count} entries of a stream, newest first. */
    public Uni<List<StreamEntry>> newest(String key, int count) {
        return redis.send(Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(count))
                .map(HotDataReader::entries);
    }

    /** Members with the highest scores first; one round trip for all keys. */
    public Uni<List<List<Scored>>> top(List<String> keys, int count) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Request> requests = keys.stream().map(k -> Request.cmd(Command.ZRANGE).arg(k).arg(0).arg(count - 1)
                .arg("REV").arg("WITHSCORES")).toList();
        return redis.batch(requests).map(responses -> {
            List<List<Scored>> out = new ArrayList<>();
            for (Response r : responses) {
                out.add(scored(r));
            }
            return out;
        });
    }

    public static List<StreamEntry> entries(Response reply) {
        List<StreamEntry> out = new ArrayList<>();
        if (reply == null) {
            return out;
        }
        for (Response entry : reply) {
            Map<String, String> fields = new LinkedHashMap<>();
            Response values = entry.get(1);
            if (values != null) { // a flat [field, value, ...] array in RESP2 and RESP3
                for (int i = 0; i + 1 < values.size(); i += 2) {
                    fields.put(values.get(i).toString(), values.get(i + 1).toString());
                }
            }
            out.add(new StreamEntry(entry.get(0).toString(), fields));
        }
        return out;
    }

    static List<Scored> scored(Response reply) {
        List<Scored> out = new ArrayList<>();
        if (reply == null || reply.size() == 0) {
            return out;
        }
        if (reply.get(0).type() == ResponseType.MULTI) { // RESP3: [[member, score], ...]
            for (Response pair : reply) {
                out.add(new Scored(pair.get(0).toString(), pair.get(1).toDouble()));
            }
        } else { // RESP2: [member, score, member, score, ...]
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                out.add(new Scored(reply.get(i).toString(), Double.parseDouble(reply.get(i + 1).toString())));
            }
        }
        return out;
    }
}
