package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.enricher.storage.SessionState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionizerTest {

    private static final long MINUTE = 60_000;
    private final Sessionizer sessionizer = new Sessionizer(Duration.ofMinutes(30));

    @Test
    void theFirstEventOpensASession() {
        Sessionizer.Assignment first = sessionizer.next(null, 1_000, "p\nada\nm1");
        assertThat(first.start()).isTrue();
        assertThat(first.state()).isEqualTo(new SessionState(first.state().sessionId(), 1_000));
    }

    @Test
    void eventsWithinTheTimeoutStayInTheSessionAndMoveItsClock() {
        Sessionizer.Assignment first = sessionizer.next(null, 0, "p\nada\nm1");
        Sessionizer.Assignment second = sessionizer.next(first.state(), 29 * MINUTE, "p\nada\nm2");
        Sessionizer.Assignment third = sessionizer.next(second.state(), 58 * MINUTE, "p\nada\nm3");
        assertThat(second.start()).isFalse();
        assertThat(third.start()).isFalse();
        assertThat(third.state()).isEqualTo(new SessionState(first.state().sessionId(), 58 * MINUTE));
    }

    @Test
    void exactlyTheTimeoutIsStillTheSameSessionAndOneMillisecondMoreIsNot() {
        SessionState open = sessionizer.next(null, 0, "p\nada\nm1").state();
        assertThat(sessionizer.next(open, 30 * MINUTE, "p\nada\nm2").start()).isFalse();
        Sessionizer.Assignment later = sessionizer.next(open, 30 * MINUTE + 1, "p\nada\nm3");
        assertThat(later.start()).isTrue();
        assertThat(later.state().sessionId()).isNotEqualTo(open.sessionId());
    }

    @Test
    void aLateEventJoinsTheCurrentSessionWithoutMovingItsClockBack() {
        SessionState open = new SessionState("s1", 100 * MINUTE);
        Sessionizer.Assignment late = sessionizer.next(open, 10 * MINUTE, "p\nada\nm0");
        assertThat(late.start()).isFalse();
        assertThat(late.state()).isEqualTo(open);
    }

    @Test
    void sessionIdsAreDeterministicForTheOpeningEvent() {
        assertThat(sessionizer.next(null, 0, "p\nada\nm1").state().sessionId())
                .isEqualTo(sessionizer.next(null, 5, "p\nada\nm1").state().sessionId())
                .isNotEqualTo(sessionizer.next(null, 0, "p\nada\nm2").state().sessionId());
    }
}
