package io.pulse.shared;

import io.pulse.shared.event.EventContext;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Builders for valid events that a test then breaks in one place. */
public final class TestEvents {

    public static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private TestEvents() {
    }

    public static RawEvent track(String userId, String event) {
        ObjectNode properties = JsonNodeFactory.instance.objectNode().put("plan", "pro").put("price", 9.5);
        EventContext context = new EventContext("81.2.69.142", "Mozilla/5.0", new EventContext.Page(
                "https://shop.example/cart?utm_source=news", "/cart", "https://www.google.com/", "Cart", null),
                "en-GB", "Europe/London", new EventContext.Library("analytics.js", "4.1.0"), null);
        return new RawEvent(RawEvent.CONTRACT_VERSION, EventType.TRACK, "m-1", "p1", userId, null, event, null,
                null, null, properties, null, context, NOW, NOW, NOW, NOW);
    }
}
