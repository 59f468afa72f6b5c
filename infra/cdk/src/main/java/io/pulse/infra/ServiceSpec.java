package io.pulse.infra;

import java.util.List;

/**
 * One of the four services as the infrastructure sees it.
 *
 * @param name          ingest, enricher, aggregator, query (binary {@code pulse-<name>-runner})
 * @param port          its HTTP port on the instance (health, metrics, and the API for ingest and query)
 * @param publicPaths   ALB path patterns routed to it from the edge; empty for the consumers, which are reached
 *                      only on the internal ops listener by host name {@code <name>.ops}
 * @param consumerGroup the Kafka consumer group whose lag scales it, or null
 * @param topic         the topic that group reads, or null
 * @param rulePriority  its listener rule's priority; lower is matched first, so query's narrower path wins
 */
public record ServiceSpec(String name, int port, List<String> publicPaths, String consumerGroup, String topic,
                          int rulePriority) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("ingest", 8081, List.of("/v1/*"), null, null, 20),
            new ServiceSpec("enricher", 8082, List.of(), "pulse-enricher", "pulse.events.raw", 30),
            new ServiceSpec("aggregator", 8083, List.of(), "pulse-aggregator", "pulse.events.enriched", 40),
            new ServiceSpec("query", 8084, List.of("/v1/projects/*"), null, null, 10));

    public boolean isConsumer() {
        return consumerGroup != null;
    }

    public boolean isPublic() {
        return !publicPaths.isEmpty();
    }

    /** Construct ids: "Ingest", "Enricher", ... */
    public String title() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
