package io.pulse.enricher.storage;

import io.pulse.enricher.config.EnricherConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Remembers each (project, messageId) for the dedup window, with the Kafka coordinates of the record that
 * first carried it. One round trip per event: {@code SET key coords NX GET EX window}.
 */
@ApplicationScoped
public class DedupStore {

    /** What the store says about one record. */
    public enum Verdict {
        /** First time this messageId is seen. */
        FIRST,
        /** The same record seen again (a replay after a crash): process it again, identically. */
        REPLAY,
        /** Another record with the same messageId was seen before: a client retry. */
        DUPLICATE
    }

    private final ReactiveValueCommands<String, String> values;
    private final long windowSeconds;

    public DedupStore(ReactiveRedisDataSource redis, EnricherConfig config) {
        this.values = redis.value(String.class);
        this.windowSeconds = config.dedup().window().toSeconds();
    }

    public static String key(String projectId, String messageId) {
        return "pulse:" + projectId + ":dedup:" + messageId;
    }

    /**
     * @param coordinates identifies the Kafka record, e.g. {@code 3:1042} (partition:offset)
     */
    public Uni<Verdict> check(String projectId, String messageId, String coordinates) {
        return values.setGet(key(projectId, messageId), coordinates, new SetArgs().nx().ex(windowSeconds))
                .map(previous -> previous == null ? Verdict.FIRST
                        : previous.equals(coordinates) ? Verdict.REPLAY : Verdict.DUPLICATE);
    }
}
