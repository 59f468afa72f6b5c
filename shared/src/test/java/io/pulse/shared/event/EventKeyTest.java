package io.pulse.shared.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.TestEvents;
import org.junit.jupiter.api.Test;

class EventKeyTest {

    @Test
    void keyIsProjectThenUserId() {
        assertThat(TestEvents.track("u42", "Signed Up").key()).isEqualTo("p1:u42");
    }

    @Test
    void anonymousIdStandsInWhenThereIsNoUserId() {
        assertThat(EventKey.distinctId(null, "anon-7")).isEqualTo("anon-7");
        assertThat(EventKey.distinctId("  ", "anon-7")).isEqualTo("anon-7");
        assertThat(EventKey.distinctId("u1", "anon-7")).isEqualTo("u1");
    }

    @Test
    void displayNameFollowsTheType() {
        RawEvent track = TestEvents.track("u1", "Order Completed");
        assertThat(track.displayName()).isEqualTo("Order Completed");
        RawEvent page = new RawEvent(1, EventType.PAGE, "m", "p", "u", null, null, "Pricing", null, null, null,
                null, null, null, null, null, null);
        assertThat(page.displayName()).isEqualTo("Pricing");
        RawEvent identify = new RawEvent(1, EventType.IDENTIFY, "m", "p", "u", null, null, null, null, null, null,
                null, null, null, null, null, null);
        assertThat(identify.displayName()).isEqualTo("identify");
    }
}
