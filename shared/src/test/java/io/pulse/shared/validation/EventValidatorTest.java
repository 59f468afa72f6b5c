package io.pulse.shared.validation;

import static io.pulse.shared.TestEvents.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.Limits;
import io.pulse.shared.TestEvents;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private static RawEvent withIds(String userId, String anonymousId) {
        RawEvent base = TestEvents.track("x", "Signed Up");
        return new RawEvent(1, base.type(), base.messageId(), base.projectId(), userId, anonymousId, base.event(),
                null, null, null, base.properties(), null, base.context(), base.timestamp(), null, null, NOW);
    }

    @Test
    void aValidTrackPasses() {
        assertThat(EventValidator.validate(TestEvents.track("u1", "Signed Up"), NOW)).isNull();
    }

    @Test
    void aDistinctIdIsRequired() {
        Violation v = EventValidator.validate(withIds(null, null), NOW);
        assertThat(v.reason()).isEqualTo(RejectReason.MISSING_DISTINCT_ID);
        assertThat(v.field()).isEqualTo("userId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "undefined", "null", "0", "[object Object]", "NaN", "", "  ", "NULL"})
    void placeholderIdsAreRefused(String placeholder) {
        assertThat(EventValidator.validate(withIds(placeholder, null), NOW).reason())
                .isEqualTo(RejectReason.PLACEHOLDER_DISTINCT_ID);
        assertThat(EventValidator.validate(withIds(null, placeholder), NOW).field()).isEqualTo("anonymousId");
    }

    @Test
    void anonymousIdAloneIsEnough() {
        assertThat(EventValidator.validate(withIds(null, "8f1c-visitor"), NOW)).isNull();
    }

    @Test
    void trackNeedsAnEventName() {
        Violation v = EventValidator.validate(TestEvents.track("u1", null), NOW);
        assertThat(v.reason()).isEqualTo(RejectReason.MISSING_EVENT);
        assertThat(v.field()).isEqualTo("event");
    }

    @Test
    void longNamesAndIdsAreRefused() {
        assertThat(EventValidator.validate(TestEvents.track("u1", "e".repeat(Limits.MAX_NAME_LENGTH + 1)), NOW)
                .reason()).isEqualTo(RejectReason.NAME_TOO_LONG);
        assertThat(EventValidator.validate(TestEvents.track("u1", "e".repeat(Limits.MAX_NAME_LENGTH)), NOW))
                .isNull();
        RawEvent base = TestEvents.track("u1", "ok");
        RawEvent longId = new RawEvent(1, EventType.TRACK, "m".repeat(101), "p", "u1", null, "ok", null, null, null,
                null, null, null, null, null, null, NOW);
        assertThat(EventValidator.validate(longId, NOW).reason()).isEqualTo(RejectReason.MESSAGE_ID_TOO_LONG);
        assertThat(base.messageId()).hasSizeLessThanOrEqualTo(Limits.MAX_MESSAGE_ID_LENGTH);
    }

    @Test
    void propertiesDeeperThanTheLimitAreRefused() {
        assertThat(EventValidator.validate(withProperties(nested(Limits.MAX_PROPERTY_DEPTH)), NOW)).isNull();
        Violation v = EventValidator.validate(withProperties(nested(Limits.MAX_PROPERTY_DEPTH + 1)), NOW);
        assertThat(v.reason()).isEqualTo(RejectReason.TOO_DEEP);
        assertThat(v.field()).isEqualTo("properties");
    }

    @Test
    void eventsFarInTheFutureAreRefused() {
        RawEvent base = TestEvents.track("u1", "ok");
        RawEvent future = new RawEvent(1, EventType.TRACK, "m", "p", "u1", null, "ok", null, null, null, null, null,
                null, NOW.plus(Limits.MAX_FUTURE).plusSeconds(1), null, null, NOW);
        assertThat(EventValidator.validate(future, NOW).reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(EventValidator.validate(base, NOW)).isNull();
    }

    @Test
    void unknownTypeIsNamed() {
        assertThat(EventType.fromWire("purchase")).isNull();
        RawEvent typeless = new RawEvent(1, null, "m", "p", "u1", null, null, null, null, null, null, null, null,
                null, null, null, NOW);
        assertThat(EventValidator.validate(typeless, NOW).field()).isEqualTo("type");
    }

    @Test
    void reasonsHaveSnakeCaseCodes() {
        assertThat(RejectReason.MISSING_DISTINCT_ID.code()).isEqualTo("missing_distinct_id");
        assertThat(RejectReason.fromCode("too_deep")).isEqualTo(RejectReason.TOO_DEEP);
    }

    /** An object nested {@code levels} deep: levels=1 is {"a":1}. */
    private static ObjectNode nested(int levels) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode current = root;
        for (int i = 1; i < levels; i++) {
            current = current.putObject("a");
        }
        current.put("leaf", 1);
        return root;
    }

    private static RawEvent withProperties(ObjectNode properties) {
        return new RawEvent(1, EventType.TRACK, "m", "p", "u1", null, "ok", null, null, null, properties, null,
                null, NOW, null, null, NOW);
    }
}
