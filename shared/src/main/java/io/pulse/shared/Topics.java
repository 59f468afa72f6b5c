package io.pulse.shared;

/** Kafka topic names. Channels name them in application.properties; these constants are the source. */
public final class Topics {

    public static final String RAW = "pulse.events.raw";
    public static final String ENRICHED = "pulse.events.enriched";
    public static final String DLQ = "pulse.events.dlq";

    private Topics() {
    }
}
