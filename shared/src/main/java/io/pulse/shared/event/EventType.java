package io.pulse.shared.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The six Segment message types. On the wire they are lower-case ("track", "page", ...). */
public enum EventType {
    TRACK, IDENTIFY, PAGE, SCREEN, GROUP, ALIAS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns null for an unknown name so that validation, not parsing, reports it with its field. */
    @JsonCreator
    public static EventType fromWire(String name) {
        if (name == null) {
            return null;
        }
        for (EventType type : values()) {
            if (type.wireName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }
}
