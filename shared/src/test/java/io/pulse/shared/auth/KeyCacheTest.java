package io.pulse.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-03T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** What ProjectKeys and ReadKeys do: the cached answer, else a lookup that is then cached. */
    private static Optional<String> lookUp(KeyCache cache, String hash, Function<String, Optional<String>> lookup) {
        Optional<String> cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        Optional<String> found = lookup.apply(hash);
        cache.put(hash, found);
        return found;
    }

    @Test
    void hashIsHexSha256() {
        // printf %s wk_test | sha256sum
        assertThat(ApiKeys.hash("wk_test"))
                .hasSize(64)
                .isEqualTo(ApiKeys.hash("wk_test"))
                .isNotEqualTo(ApiKeys.hash("wk_tesu"));
        assertThat(ApiKeys.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void answersFromMemoryUntilTheEntryExpires() {
        MutableClock clock = new MutableClock();
        KeyCache cache = new KeyCache(Duration.ofSeconds(30), Duration.ofSeconds(5), clock);
        AtomicInteger lookups = new AtomicInteger();
        assertThat(lookUp(cache, "h", h -> { lookups.incrementAndGet(); return Optional.of("p1"); }))
                .contains("p1");
        assertThat(lookUp(cache, "h", h -> { lookups.incrementAndGet(); return Optional.empty(); }))
                .contains("p1");
        assertThat(lookups).hasValue(1);

        clock.now = clock.now.plusSeconds(31); // the key was revoked meanwhile: the next lookup sees it
        assertThat(lookUp(cache, "h", h -> { lookups.incrementAndGet(); return Optional.empty(); }))
                .isEmpty();
        assertThat(lookups).hasValue(2);
    }

    @Test
    void unknownKeysAreRememberedBriefly() {
        MutableClock clock = new MutableClock();
        KeyCache cache = new KeyCache(Duration.ofSeconds(30), Duration.ofSeconds(5), clock);
        cache.put("bad", Optional.empty());
        assertThat(cache.get("bad")).isEmpty();
        clock.now = clock.now.plusSeconds(6);
        assertThat(cache.get("bad")).isNull();
    }
}
