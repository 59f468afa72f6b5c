package io.pulse.enricher.storage;

import io.pulse.enricher.config.EnricherConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers each (project, messageId) for the dedup window, with the Kafka coordinates of the record that
 * first carried it: {@code SET key coords NX GET EX window}. A whole consumed batch goes to Redis as one
 * pipeline, one round trip.
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

    /** One record to check. */
    public record Check(String projectId, String messageId, String coordinates) {
    }

    private final Redis redis;
    private final String windowSeconds;

    public DedupStore(Redis redis, EnricherConfig config) {
        this.redis = redis;
        this.windowSeconds = Long.toString(config.dedup().window().toSeconds());
    }

    public static String key(String projectId, String messageId) {
        return "pulse:" + projectId + ":dedup:" + messageId;
    }

    /** Verdicts in the order of the checks. */
    public Uni<List<Verdict>> check(List<Check> checks) {
        if (checks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Request> requests = new ArrayList<>(checks.size());
        for (Check check : checks) {
            requests.add(Request.cmd(Command.SET).arg(key(check.projectId(), check.messageId()))
                    .arg(check.coordinates()).arg("NX").arg("GET").arg("EX").arg(windowSeconds));
        }
        return redis.batch(requests).map(responses -> {
            List<Verdict> verdicts = new ArrayList<>(checks.size());
            for (int i = 0; i < checks.size(); i++) {
                Response previous = responses.get(i);
                verdicts.add(previous == null ? Verdict.FIRST
                        : previous.toString().equals(checks.get(i).coordinates()) ? Verdict.REPLAY
                        : Verdict.DUPLICATE);
            }
            return verdicts;
        });
    }
}
