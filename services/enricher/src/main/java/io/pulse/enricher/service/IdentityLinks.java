package io.pulse.enricher.service;

import io.pulse.enricher.storage.PersonKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which person an id belongs to, within one batch: the links Redis held before it, plus those its identify and
 * alias events add, in order. Links are one hop: a new link points at the resolved person of its target, so
 * anonymous -> old user id -> new user id is stored as anonymous -> new user id for ids linked from then on.
 */
public final class IdentityLinks {

    private final Map<PersonKey, String> known;
    private final Map<PersonKey, String> added = new LinkedHashMap<>();

    public IdentityLinks(Map<PersonKey, String> loaded) {
        this.known = new HashMap<>(loaded);
    }

    /** The person behind an id: what it was linked to, else the id itself. */
    public String resolve(String projectId, String id) {
        String linked = known.get(new PersonKey(projectId, id));
        return linked != null ? linked : id;
    }

    /** Links {@code from} (anonymous or previous id) to {@code to}'s person, unless {@code from} is linked already. */
    public void link(String projectId, String from, String to) {
        if (from == null || to == null || from.equals(to)) {
            return;
        }
        PersonKey key = new PersonKey(projectId, from);
        String person = resolve(projectId, to);
        if (known.containsKey(key) || person.equals(from)) {
            return; // first link wins; and never a cycle
        }
        known.put(key, person);
        added.put(key, person);
    }

    /** Links made in this batch, to be saved. */
    public Map<PersonKey, String> added() {
        return added;
    }
}
