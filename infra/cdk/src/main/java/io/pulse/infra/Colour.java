package io.pulse.infra;

/** The two fleets of every service: one is live, the other takes the canary share and then the whole load. */
public enum Colour {
    BLUE, GREEN;

    public Colour other() {
        return this == BLUE ? GREEN : BLUE;
    }

    public String id() {
        return name().toLowerCase();
    }

    /** Capitalised for construct ids: "Blue", "Green". */
    public String title() {
        return name().charAt(0) + name().substring(1).toLowerCase();
    }

    public static Colour parse(String value) {
        for (Colour c : values()) {
            if (c.id().equalsIgnoreCase(value.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("liveColour must be blue or green, not '" + value + "'");
    }
}
