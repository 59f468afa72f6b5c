package io.pulse.query.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.query.config.QueryConfig;
import io.pulse.shared.HotKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Answers cached in Redis under {@code pulse:{project}:q:<sha-256 of the query>}: closed ranges for
 * {@code closed-ttl}, ranges that include now for {@code open-ttl}. A client's {@code Cache-Control: no-cache}
 * skips the read (the fresh answer is still stored). Redis trouble never fails a query.
 */
@ApplicationScoped
public class QueryCache {

    private static final Logger LOG = Logger.getLogger(QueryCache.class);

    private final Redis redis;
    private final ObjectMapper json;
    private final QueryConfig config;
    private final Counter hits;
    private final Counter misses;

    public QueryCache(Redis redis, ObjectMapper json, QueryConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.json = json;
        this.config = config;
        this.hits = Counter.builder("pulse.query.cache").tag("result", "hit").register(registry);
        this.misses = Counter.builder("pulse.query.cache").tag("result", "miss").register(registry);
    }

    /** True when the request's Cache-Control or Pragma asks for a fresh answer. */
    public static boolean noCache(String cacheControl, String pragma) {
        return contains(cacheControl, "no-cache") || contains(cacheControl, "no-store")
                || contains(cacheControl, "max-age=0") || contains(pragma, "no-cache");
    }

    private static boolean contains(String header, String directive) {
        return header != null && header.toLowerCase(java.util.Locale.ROOT).contains(directive);
    }

    /**
     * The answer as JSON, from the cache or computed (and then stored).
     *
     * @param query a record of the checked parameters: its {@code toString} is the key's content
     */
    public <T> Uni<String> get(String projectId, String kind, Object query, boolean open, boolean fresh,
            Supplier<Uni<T>> compute) {
        if (!config.cache().enabled()) {
            return compute.get().map(this::write);
        }
        String key = HotKeys.queryCache(projectId, hash(kind + "|" + query));
        Uni<String> cached = fresh ? Uni.createFrom().nullItem()
                : redis.send(Request.cmd(Command.GET).arg(key)).map(r -> r == null ? null : r.toString())
                        .onFailure().recoverWithItem(e -> {
                            LOG.debugf("query cache unavailable: %s", e.toString());
                            return null;
                        });
        return cached.chain(hit -> {
            if (hit != null) {
                hits.increment();
                return Uni.createFrom().item(hit);
            }
            misses.increment();
            return compute.get().map(this::write).call(text -> store(key, text, open));
        });
    }

    private Uni<Void> store(String key, String text, boolean open) {
        long ttl = (open ? config.cache().openTtl() : config.cache().closedTtl()).toMillis();
        return redis.send(Request.cmd(Command.SET).arg(key).arg(text).arg("PX").arg(Math.max(ttl, 1)))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("query cache not written: %s", e.toString());
                    return null;
                });
    }

    private String write(Object answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer that is not JSON: " + answer.getClass().getSimpleName(), e);
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
