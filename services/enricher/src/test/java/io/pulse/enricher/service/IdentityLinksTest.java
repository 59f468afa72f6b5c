package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.enricher.storage.PersonKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityLinksTest {

    @Test
    void anUnlinkedIdIsItsOwnPerson() {
        IdentityLinks links = new IdentityLinks(Map.of());
        assertThat(links.resolve("p", "anon-1")).isEqualTo("anon-1");
        assertThat(links.added()).isEmpty();
    }

    @Test
    void anAnonymousVisitorResolvesToTheUserItIdentifiedAs() {
        IdentityLinks links = new IdentityLinks(Map.of());
        links.link("p", "anon-1", "ada");
        assertThat(links.resolve("p", "anon-1")).isEqualTo("ada");
        assertThat(links.resolve("p", "ada")).isEqualTo("ada");
        assertThat(links.added()).containsExactly(Map.entry(new PersonKey("p", "anon-1"), "ada"));
    }

    @Test
    void linksLoadedFromRedisCountAndTheFirstLinkWins() {
        IdentityLinks links = new IdentityLinks(Map.of(new PersonKey("p", "anon-1"), "ada"));
        links.link("p", "anon-1", "bob"); // a shared device: the history stays with the first person
        assertThat(links.resolve("p", "anon-1")).isEqualTo("ada");
        assertThat(links.added()).isEmpty();
    }

    @Test
    void projectsNeverShareLinks() {
        IdentityLinks links = new IdentityLinks(Map.of());
        links.link("p1", "anon-1", "ada");
        assertThat(links.resolve("p2", "anon-1")).isEqualTo("anon-1");
    }

    @Test
    void anAliasPointsAtTheTargetsPersonAndNeverMakesACycle() {
        IdentityLinks links = new IdentityLinks(Map.of(new PersonKey("p", "old-id"), "new-id"));
        links.link("p", "anon-1", "old-id");
        assertThat(links.resolve("p", "anon-1")).isEqualTo("new-id");
        links.link("p", "new-id", "old-id"); // would be new-id -> new-id
        assertThat(links.resolve("p", "new-id")).isEqualTo("new-id");
        links.link("p", "ada", "ada");
        links.link("p", null, "ada");
        links.link("p", "anon-2", null);
        assertThat(links.added()).containsOnlyKeys(new PersonKey("p", "anon-1"));
    }
}
