package io.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testing.ServiceProcess;
import io.pulse.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with the four packaged services as real processes against real Kafka, PostgreSQL and Redis:
 * HTTP -> ingest -> Kafka -> enricher -> Kafka -> aggregator -> PostgreSQL -> query service.
 */
class PipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess ingest;
    private static ServiceProcess query;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startThePipeline() throws Exception {
        TestDatabase.migrate();
        // The aggregator first: in production it also owns the schema migration.
        ServiceProcess aggregator = ServiceProcess.start("aggregator");
        services.add(aggregator);
        aggregator.awaitReady(Duration.ofSeconds(60));
        ingest = ServiceProcess.start("ingest");
        ServiceProcess enricher = ServiceProcess.start("enricher");
        query = ServiceProcess.start("query");
        services.addAll(List.of(ingest, enricher, query));
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(60));
        }
    }

    @AfterAll
    static void stopThePipeline() throws InterruptedException {
        for (ServiceProcess service : services) {
            service.close();
        }
    }

    @Test
    void everyAcceptedEventIsCountedExactlyOnce() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        String event = "E2E Checkout " + UUID.randomUUID();
        Instant from = Instant.now().minusSeconds(120);
        int total = 1_000;
        int users = 25;

        String auth = "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":")
                .getBytes(StandardCharsets.UTF_8));
        // The client behaves as SDKs do: every event carries a messageId, and a 503 (Kafka or the key store slow,
        // which a cold start can be) is retried after Retry-After with the same body. So this also proves that
        // retries are not counted twice.
        Semaphore inFlight = new Semaphore(32);
        List<String> retried = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> responses = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String body = JSON.writeValueAsString(java.util.Map.of(
                    "messageId", UUID.randomUUID().toString(), "userId", "user-" + (i % users), "event", event,
                    "properties", java.util.Map.of("seq", i, "sku", "sku-" + (i % 7))));
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingest.url() + "/v1/track"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.acquire();
            responses.add(sendRetrying503(request, 3, retried).whenComplete((status, error) -> inFlight.release()));
        }
        List<Integer> statuses = responses.stream().map(CompletableFuture::join).toList();
        System.out.printf("e2e: %d of %d requests retried after a 503: %s%n", retried.size(), total,
                retried.stream().distinct().toList());
        assertThat(statuses).as("every event accepted").containsOnly(200);
        Instant acceptedAt = Instant.now();

        // Visible within a few seconds ...
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode trend = trend(project, event, from);
        while (trend.path("total").path("events").asLong() < total && System.nanoTime() < deadline) {
            Thread.sleep(100);
            trend = trend(project, event, from);
        }
        Duration visibleAfter = Duration.between(acceptedAt, Instant.now());
        System.out.printf("e2e: %d of %d events visible in the query service %d ms after the last 200%n",
                trend.path("total").path("events").asLong(), total, visibleAfter.toMillis());
        assertThat(trend.path("total").path("events").asLong()).as("events counted").isEqualTo(total);
        assertThat(trend.path("total").path("persons").asLong()).as("unique persons").isEqualTo(users);

        // ... and still exactly once a moment later: nothing arrives twice.
        Thread.sleep(1_500);
        assertThat(trend(project, event, from).path("total").path("events").asLong()).isEqualTo(total);
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ? AND event_name = ?",
                project.id(), event)).isEqualTo(total);
        assertThat(TestDatabase.queryLong(
                "SELECT count(DISTINCT message_id) FROM events WHERE project_id = ? AND event_name = ?",
                project.id(), event)).isEqualTo(total);
        // The full IP address never reaches storage.
        assertThat(TestDatabase.queryLong(
                "SELECT count(*) FROM events WHERE project_id = ? AND payload->'event'->'context'->>'ip' = '127.0.0.1'",
                project.id())).isZero();
    }

    private CompletableFuture<Integer> sendRetrying503(HttpRequest request, int triesLeft, List<String> retried) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if (response.statusCode() != 503 || triesLeft == 0) {
                return CompletableFuture.completedFuture(response.statusCode());
            }
            retried.add(response.body().replaceAll(".*\"code\":\"([a-z_]+)\".*", "$1"));
            long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.SECONDS))
                    .thenCompose(ignored -> sendRetrying503(request, triesLeft - 1, retried));
        });
    }

    private JsonNode trend(TestDatabase.Project project, String event, Instant from) throws Exception {
        String url = query.url() + "/v1/projects/" + project.id() + "/insights/trends?interval=minute"
                + "&event=" + URLEncoder.encode(event, StandardCharsets.UTF_8)
                + "&from=" + from + "&to=" + Instant.now().plusSeconds(60);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + project.readKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
