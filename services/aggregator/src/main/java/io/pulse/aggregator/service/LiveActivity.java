package io.pulse.aggregator.service;

import io.pulse.aggregator.config.AggregatorConfig;
import io.pulse.shared.event.EnrichedEvent;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hot data in Redis, updated after each PostgreSQL commit: live persons per project (sorted set scored by
 * last-seen epoch millis). Redis holds nothing PostgreSQL cannot rebuild, so failures here never fail a batch.
 */
@ApplicationScoped
public class LiveActivity {

    private final ReactiveSortedSetCommands<String, String> sortedSets;
    private final AggregatorConfig config;

    public LiveActivity(ReactiveRedisDataSource redis, AggregatorConfig config) {
        this.sortedSets = redis.sortedSet(String.class);
        this.config = config;
    }

    public static String liveKey(String projectId) {
        return "pulse:" + projectId + ":live";
    }

    public Uni<Void> record(List<EnrichedEvent> events) {
        // Last-seen per (project, person) within the batch: one ZADD per project, not one per event.
        Map<String, Map<String, Double>> lastSeen = new HashMap<>();
        for (EnrichedEvent e : events) {
            if (e.enrichment() != null && e.enrichment().bot()) {
                continue;
            }
            String person = e.enrichment() != null && e.enrichment().personId() != null
                    ? e.enrichment().personId() : e.event().distinctId();
            double seen = e.event().receivedAt() != null ? e.event().receivedAt().toEpochMilli() : 0;
            lastSeen.computeIfAbsent(e.event().projectId(), p -> new HashMap<>()).merge(person, seen, Math::max);
        }
        if (lastSeen.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        double horizon = Instant.now().minus(config.live().window()).toEpochMilli();
        return Uni.join().all(lastSeen.entrySet().stream()
                        .map(project -> sortedSets.zadd(liveKey(project.getKey()), project.getValue())
                                .chain(() -> sortedSets.zremrangebyscore(liveKey(project.getKey()),
                                        new io.quarkus.redis.datasource.sortedset.ScoreRange<>(
                                                Double.NEGATIVE_INFINITY, horizon)))
                                .replaceWithVoid())
                        .toList())
                .andCollectFailures().replaceWithVoid();
    }
}
