package io.pulse.enricher.storage;

import io.pulse.enricher.config.EnricherConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sessions and identity links in Redis, a consumed batch at a time: one pipeline reads the state of every person
 * in the batch, one pipeline writes what changed. Never a command per event: thousands of concurrent commands
 * would overflow the client's pool.
 *
 * <ul>
 *   <li>{@code pulse:{project}:session:{distinctId}} = {@code lastEventMillis:sessionId}, expiring state-ttl after
 *       the last write.</li>
 *   <li>{@code pulse:{project}:identity}: hash of anonymous (or previous) id to the user id it was linked to. The
 *       first link of an id wins ({@code HSETNX}): a shared device does not move one person's history to
 *       another.</li>
 * </ul>
 */
@ApplicationScoped
public class PersonStateStore {

    /** What Redis knew before a batch: sessions of its distinct ids, links of the ids it mentions. */
    public record Loaded(Map<PersonKey, SessionState> sessions, Map<PersonKey, String> links) {
    }

    private final Redis redis;
    private final String ttlSeconds;

    public PersonStateStore(Redis redis, EnricherConfig config) {
        this.redis = redis;
        // State that expires before the session timeout would end sessions early.
        this.ttlSeconds = Long.toString(Math.max(1, Math.max(config.session().stateTtl().toSeconds(),
                config.session().timeout().toSeconds())));
    }

    public static String sessionKey(PersonKey person) {
        return "pulse:" + person.projectId() + ":session:" + person.id();
    }

    public static String identityKey(String projectId) {
        return "pulse:" + projectId + ":identity";
    }

    /** One round trip: a GET per session, an HMGET per project for the ids whose links matter. */
    public Uni<Loaded> load(Collection<PersonKey> sessions, Collection<PersonKey> identities) {
        List<PersonKey> sessionKeys = List.copyOf(Set.copyOf(sessions));
        Map<String, List<String>> idsByProject = new LinkedHashMap<>();
        for (PersonKey person : Set.copyOf(identities)) {
            idsByProject.computeIfAbsent(person.projectId(), p -> new ArrayList<>()).add(person.id());
        }
        List<Request> requests = new ArrayList<>(sessionKeys.size() + idsByProject.size());
        for (PersonKey person : sessionKeys) {
            requests.add(Request.cmd(Command.GET).arg(sessionKey(person)));
        }
        idsByProject.forEach((project, ids) -> {
            Request hmget = Request.cmd(Command.HMGET).arg(identityKey(project));
            ids.forEach(hmget::arg);
            requests.add(hmget);
        });
        if (requests.isEmpty()) {
            return Uni.createFrom().item(new Loaded(Map.of(), Map.of()));
        }
        return redis.batch(requests).map(responses -> {
            Map<PersonKey, SessionState> loadedSessions = new HashMap<>();
            for (int i = 0; i < sessionKeys.size(); i++) {
                SessionState state = SessionState.decode(text(responses.get(i)));
                if (state != null) {
                    loadedSessions.put(sessionKeys.get(i), state);
                }
            }
            Map<PersonKey, String> links = new HashMap<>();
            int index = sessionKeys.size();
            for (Map.Entry<String, List<String>> project : idsByProject.entrySet()) {
                Response values = responses.get(index++);
                List<String> ids = project.getValue();
                for (int j = 0; j < ids.size(); j++) {
                    String linked = text(values.get(j));
                    if (linked != null) {
                        links.put(new PersonKey(project.getKey(), ids.get(j)), linked);
                    }
                }
            }
            return new Loaded(loadedSessions, links);
        });
    }

    /** One round trip: SET with expiry per changed session, HSETNX per new link. */
    public Uni<Void> save(Map<PersonKey, SessionState> sessions, Map<PersonKey, String> newLinks) {
        List<Request> requests = new ArrayList<>(sessions.size() + newLinks.size());
        sessions.forEach((person, state) -> requests.add(Request.cmd(Command.SET).arg(sessionKey(person))
                .arg(state.encode()).arg("EX").arg(ttlSeconds)));
        newLinks.forEach((from, to) -> requests.add(Request.cmd(Command.HSETNX)
                .arg(identityKey(from.projectId())).arg(from.id()).arg(to)));
        return requests.isEmpty() ? Uni.createFrom().voidItem() : redis.batch(requests).replaceWithVoid();
    }

    private static String text(Response response) {
        return response == null ? null : response.toString();
    }
}
