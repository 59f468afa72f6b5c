package io.pulse.aggregator.service;

import io.pulse.aggregator.config.AggregatorConfig;
import io.pulse.shared.event.EnrichedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hot data in Redis, updated after each PostgreSQL commit: live persons per project (sorted set scored by
 * last-seen epoch millis). One pipeline per batch. Redis holds nothing PostgreSQL cannot rebuild, so the
 * caller never fails a batch for it.
 */
@ApplicationScoped
public class LiveActivity {

    private final Redis redis;
    private final AggregatorConfig config;

    public LiveActivity(Redis redis, AggregatorConfig config) {
        this.redis = redis;
        this.config = config;
    }

    public static String liveKey(String projectId) {
        return "pulse:" + projectId + ":live";
    }

    public Uni<Void> record(List<EnrichedEvent> events) {
        // Last seen per (project, person) within the batch: one ZADD per project, not one per event.
        Map<String, Map<String, Long>> lastSeen = new HashMap<>();
        for (EnrichedEvent e : events) {
            if (e.enrichment() != null && e.enrichment().bot()) {
                continue;
            }
            String person = e.enrichment() != null && e.enrichment().personId() != null
                    ? e.enrichment().personId() : e.event().distinctId();
            long seen = e.event().receivedAt() != null ? e.event().receivedAt().toEpochMilli() : 0;
            lastSeen.computeIfAbsent(e.event().projectId(), p -> new HashMap<>()).merge(person, seen, Math::max);
        }
        if (lastSeen.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String horizon = Long.toString(Instant.now().minus(config.live().window()).toEpochMilli());
        List<Request> pipeline = new ArrayList<>();
        lastSeen.forEach((project, persons) -> {
            Request zadd = Request.cmd(Command.ZADD).arg(liveKey(project)).arg("GT");
            persons.forEach((person, millis) -> zadd.arg(millis).arg(person));
            pipeline.add(zadd);
            pipeline.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(liveKey(project)).arg("-inf").arg(horizon));
        });
        return redis.batch(pipeline).replaceWithVoid();
    }
}
