package io.pulse.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.shared.Limits;
import io.pulse.shared.Topics;
import io.pulse.testing.ServiceProcess;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The edge as deployed: a real nginx running the rendered conf/nginx.conf.template over TLS in front of the four
 * packaged services (two ingest instances), against real Kafka, PostgreSQL and Redis. The last two tests break
 * things (query, then one ingest instance, killed with -9), so they run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess ingestA;
    private static ServiceProcess ingestB;
    private static ServiceProcess query;
    private static Nginx edge;
    private static HttpClient http;

    @BeforeAll
    static void startServicesAndNginx() throws Exception {
        Assumptions.assumeTrue(Nginx.binary().isPresent(),
                "nginx is not installed (apt-get install -y nginx; .ci/run installs it): the edge tests are skipped");
        TestDatabase.migrate();
        // The schema is applied above. pulse_test is shared with other modules' tests, which may have applied a
        // newer migration than this packaged aggregator knows; its own check would refuse to start.
        ServiceProcess aggregator = ServiceProcess.start("aggregator", Map.of("quarkus.flyway.migrate-at-start", "false"));
        services.add(aggregator);
        aggregator.awaitReady(Duration.ofSeconds(60));
        // Behind nginx, ingest believes X-Forwarded-For only from nginx's address.
        Map<String, String> behindNginx = Map.of("pulse.ingest.proxy.trusted", "127.0.0.1");
        ingestA = ServiceProcess.start("ingest", behindNginx);
        ingestB = ServiceProcess.start("ingest", behindNginx);
        ServiceProcess enricher = ServiceProcess.start("enricher");
        query = ServiceProcess.start("query");
        services.addAll(List.of(ingestA, ingestB, enricher, query));
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(90));
        }
        // Rate limits far above the load below; the rate-limit tests run their own nginx with small ones.
        edge = Nginx.start("nginx-edge", upstreams(Map.of(
                "PULSE_NGINX_IP_RATE", "20000", "PULSE_NGINX_IP_BURST", "20000",
                "PULSE_NGINX_KEY_RATE", "20000", "PULSE_NGINX_KEY_BURST", "20000")));
        http = client(edge);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (edge != null) {
            edge.close();
        }
        for (ServiceProcess service : services) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void theRenderedConfigurationPassesNginxTest() throws Exception {
        Nginx.Result check = Nginx.test(edge.dir);
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("syntax is ok", "test is successful").doesNotContain("[warn]");
    }

    @Test
    @Order(2)
    void tlsWithHttp2AndSecurityHeadersWhilePlainHttpRedirectsExceptHealthChecks() throws Exception {
        // The client trusts only the generated certificate: the handshake proves nginx serves it.
        HttpResponse<String> health = http.send(get(edge.https() + "/healthz"), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
                v -> assertThat(v).startsWith("max-age="));
        assertThat(health.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(health.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(health.headers().firstValue("Content-Security-Policy")).hasValue("frame-ancestors 'none'");
        assertThat(health.headers().firstValue("Referrer-Policy")).isPresent();

        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(plain.send(get(edge.http() + "/healthz"), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        assertThat(plain.send(get(edge.http() + "/healthz/ingest"), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(200);
        HttpResponse<Void> redirect = plain.send(HttpRequest.newBuilder(URI.create(edge.http() + "/v1/track?x=1"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(redirect.statusCode()).as("308 keeps the POST").isEqualTo(308);
        assertThat(redirect.headers().firstValue("Location"))
                .hasValue("https://127.0.0.1:" + edge.httpsPort + "/v1/track?x=1");
        // Internal endpoints stay internal.
        assertThat(http.send(get(edge.https() + "/q/metrics"), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void requestsSpreadOverBothIngestInstances() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        double beforeA = accepted(ingestA);
        double beforeB = accepted(ingestB);
        List<Integer> statuses = sendEvents(project, "Spread " + UUID.randomUUID(), 200, 16, null);
        assertThat(statuses).containsOnly(200);
        double a = accepted(ingestA) - beforeA;
        double b = accepted(ingestB) - beforeB;
        System.out.printf("nginx: 200 events spread as %.0f on ingest A and %.0f on ingest B%n", a, b);
        assertThat(a + b).isEqualTo(200);
        assertThat(a).as("ingest A's share").isGreaterThanOrEqualTo(40);
        assertThat(b).as("ingest B's share").isGreaterThanOrEqualTo(40);
    }

    @Test
    @Order(4)
    void ingestSeesTheClientAddressNginxSawNotOneTheClientClaims() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        String messageId = UUID.randomUUID().toString();
        TestKafka.Mark mark = TestKafka.mark(Topics.RAW);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge.https() + "/v1/track"))
                .header("Authorization", basic(project.writeKey()))
                .header("X-Forwarded-For", "203.0.113.7")
                .header("CF-Connecting-IP", "203.0.113.8")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "userId", "ada", "event", "Spoof", "messageId", messageId))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var records = TestKafka.read(mark, r -> r.value().contains(messageId), 1, Duration.ofSeconds(10));
        assertThat(records).hasSize(1);
        assertThat(JSON.readTree(records.get(0).value()).path("context").path("ip").asText())
                .as("the socket address nginx saw, not the forged headers").isEqualTo("127.0.0.1");
    }

    @Test
    @Order(5)
    void bodiesUpToIngestsLimitPassAndOneByteMoreIsRefusedWith413() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        HttpResponse<String> atLimit = post(edge.https() + "/v1/batch", project.writeKey(),
                paddedBatch(Limits.MAX_REQUEST_BYTES));
        assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(200);

        // HTTP/1.1: nginx answers 413 at once and reads the rest of the body away. Over HTTP/2 it ends the
        // connection after the 413 and Java 17's client reports that instead (curl shows the 413 on both), and
        // Java 17 waits forever for a 100 after "Expect: 100-continue" (JDK-8286171).
        HttpClient http11 = HttpClient.newBuilder().sslContext(edge.trustingItsCertificate())
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> over = http11.send(HttpRequest.newBuilder(URI.create(edge.https() + "/v1/batch"))
                .header("Authorization", basic(project.writeKey())).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(paddedBatch(Limits.MAX_REQUEST_BYTES + 1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(over.statusCode()).isEqualTo(413);
        JsonNode body = JSON.readTree(over.body());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("status").asInt()).isEqualTo(413);
        assertThat(body.path("code").asText()).isEqualTo("request_too_large");
        assertThat(over.headers().firstValue("Content-Type")).hasValue("application/json");
        // Refused by nginx itself: no instance was asked.
        String line = lastLine(edge, "\"status\":413");
        assertThat(JSON.readTree(line).path("upstream").asText()).isEmpty();
    }

    @Test
    @Order(6)
    void aWriteKeyOverItsRateGets429WithAJsonBodyWhileOtherKeysPass() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        TestDatabase.Project other = TestDatabase.createProject();
        try (Nginx strict = Nginx.start("nginx-key-limit", upstreams(Map.of(
                "PULSE_NGINX_KEY_RATE", "1", "PULSE_NGINX_KEY_BURST", "2",
                "PULSE_NGINX_IP_RATE", "1000", "PULSE_NGINX_IP_BURST", "1000")))) {
            HttpClient client = client(strict);
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                responses.add(post(client, strict.https() + "/v1/track", project.writeKey(), event("Limited")));
            }
            List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
            System.out.println("nginx: one write key, 6 requests at once, rate 1/s burst 2: " + statuses);
            assertThat(statuses.subList(0, 2)).containsOnly(200);
            assertThat(statuses).contains(429);
            HttpResponse<String> limited = responses.stream().filter(r -> r.statusCode() == 429).findFirst().get();
            assertRateLimitedBody(limited);
            assertThat(post(client, strict.https() + "/v1/track", other.writeKey(), event("Other")).statusCode())
                    .as("another write key from the same address").isEqualTo(200);
        }
    }

    @Test
    @Order(7)
    void anAddressOverItsRateGets429WhateverKeyItSends() throws Exception {
        try (Nginx strict = Nginx.start("nginx-ip-limit", upstreams(Map.of(
                "PULSE_NGINX_IP_RATE", "5", "PULSE_NGINX_IP_BURST", "5",
                "PULSE_NGINX_KEY_RATE", "1000", "PULSE_NGINX_KEY_BURST", "1000")))) {
            HttpClient client = client(strict);
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // a new (unknown) key every time: only the address is common
                responses.add(post(client, strict.https() + "/v1/track", "wk_unknown_" + i, event("Limited")));
            }
            List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
            System.out.println("nginx: one address, 20 keys, rate 5/s burst 5: " + statuses);
            assertThat(statuses.subList(0, 5)).as("ingest's answer: unknown key").containsOnly(401);
            assertThat(statuses).contains(429);
            assertRateLimitedBody(responses.stream().filter(r -> r.statusCode() == 429).findFirst().get());
        }
    }

    @Test
    @Order(8)
    void theMicroCacheServesRepeatsButNeverAnotherReadKeysAnswer() throws Exception {
        TestDatabase.Project a = TestDatabase.createProject();
        TestDatabase.Project b = TestDatabase.createProject();
        String url = trendsUrl(a);
        HttpResponse<String> first = read(url, a.readKey());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache-Status")).hasValue("MISS");
        HttpResponse<String> second = read(url, a.readKey());
        assertThat(second.headers().firstValue("X-Cache-Status")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());

        // The same URL with project B's read key, or none, goes to the query service, which refuses it.
        HttpResponse<String> otherKey = read(url, b.readKey());
        assertThat(otherKey.statusCode()).as("B's key on A's URL").isEqualTo(404);
        assertThat(otherKey.headers().firstValue("X-Cache-Status")).hasValue("MISS");
        HttpResponse<String> noKey = http.send(get(url), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);

        // Answers are gzipped for clients that accept it.
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + a.readKey()).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    }

    @Test
    @Order(9)
    void dashboardAssetsAreCachedForAYearAndPagesRevalidated() throws Exception {
        // The query service serves no assets yet: a stand-in upstream serves one script and one page.
        com.sun.net.httpserver.HttpServer assets = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] script = "console.log('pulse');\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        assets.createContext("/", exchange -> {
            boolean isScript = exchange.getRequestURI().getPath().endsWith(".js");
            byte[] body = isScript ? script : "<!doctype html><title>Pulse</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", isScript ? "application/javascript" : "text/html");
            exchange.getResponseHeaders().set("Cache-Control", "no-store"); // replaced by the edge's policy
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        assets.start();
        Map<String, String> settings = new java.util.HashMap<>(upstreams(Map.of()));
        settings.put("PULSE_NGINX_QUERY", "127.0.0.1:" + assets.getAddress().getPort());
        try (Nginx withAssets = Nginx.start("nginx-assets", settings)) {
            HttpClient client = client(withAssets);
            HttpRequest js = HttpRequest.newBuilder(URI.create(withAssets.https() + "/static/app.3f9a1c.js"))
                    .header("Accept-Encoding", "gzip").build();
            HttpResponse<byte[]> first = client.send(js, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().allValues("Cache-Control")).containsExactly("public, max-age=31536000, immutable");
            assertThat(first.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(first.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(client.send(js, HttpResponse.BodyHandlers.discarding()).headers()
                    .firstValue("X-Cache-Status")).hasValue("HIT");

            HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                    URI.create(withAssets.https() + "/dashboard/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().allValues("Cache-Control")).containsExactly("no-cache");
        } finally {
            assets.stop(0);
        }
    }

    @Test
    @Order(90)
    void cachedAnswersAreServedStaleWhileTheQueryServiceIsDownButOnlyToTheirOwnKey() throws Exception {
        TestDatabase.Project a = TestDatabase.createProject();
        TestDatabase.Project b = TestDatabase.createProject();
        String url = trendsUrl(a);
        HttpResponse<String> fresh = read(url, a.readKey());
        assertThat(fresh.statusCode()).isEqualTo(200);

        query.kill();
        Thread.sleep(2_100); // past the 1 s validity (nginx counts whole seconds): only a stale copy is left
        HttpResponse<String> stale = read(url, a.readKey());
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("X-Cache-Status")).hasValue("STALE");
        assertThat(stale.body()).isEqualTo(fresh.body());

        HttpResponse<String> otherKey = read(url, b.readKey());
        assertThat(otherKey.statusCode()).as("never A's answer to B's key").isEqualTo(503);
        assertThat(JSON.readTree(otherKey.body()).path("code").asText()).isEqualTo("unavailable");
        assertThat(otherKey.body()).doesNotContain("series");
        assertThat(read(trendsUrl(b), b.readKey()).statusCode()).as("nothing cached for B").isEqualTo(503);
    }

    @Test
    @Order(100)
    void killingOneIngestInstanceUnderLoadFailsNoRequestAndStoresEveryEventOnce() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        String event = "Failover " + UUID.randomUUID();
        int total = 3_000;
        long retriedBefore = retriedRequests();
        long started = System.nanoTime();
        List<Integer> statuses = sendEvents(project, event, total, 32, () -> {
            try {
                ingestB.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long sentMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(ingestB.isAlive()).isFalse();
        assertThat(statuses).as("every client request succeeded").containsOnly(200);
        long retried = retriedRequests() - retriedBefore;
        System.out.printf("nginx: %d events in %d ms with ingest B killed after %d; %d requests retried on A%n",
                total, sentMillis, total / 3, retried);

        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        long stored = 0;
        while (System.nanoTime() < deadline) {
            stored = storedEvents(project, event);
            if (stored >= total) {
                break;
            }
            Thread.sleep(250);
        }
        Thread.sleep(1_000); // and nothing arrives twice a moment later
        assertThat(storedEvents(project, event)).as("events stored").isEqualTo(total);
        assertThat(TestDatabase.queryLong(
                "SELECT count(DISTINCT message_id) FROM events WHERE project_id = ? AND event_name = ?",
                project.id(), event)).isEqualTo(total);
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static Map<String, String> upstreams(Map<String, String> limits) {
        Map<String, String> settings = new java.util.HashMap<>(limits);
        settings.put("PULSE_NGINX_INGEST", "127.0.0.1:" + ingestA.port + " 127.0.0.1:" + ingestB.port);
        settings.put("PULSE_NGINX_QUERY", "127.0.0.1:" + query.port);
        return settings;
    }

    private static HttpClient client(Nginx nginx) throws Exception {
        return HttpClient.newBuilder().sslContext(nginx.trustingItsCertificate()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Posts {@code total} single events, each with its own messageId as SDKs send, {@code concurrency} at a
     * time; runs {@code atOneThird} once a third were sent. Returns every status (an exception fails the test).
     */
    private static List<Integer> sendEvents(TestDatabase.Project project, String event, int total, int concurrency,
            Runnable atOneThird) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<Integer>> responses = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            if (i == total / 3 && atOneThird != null) {
                atOneThird.run();
            }
            String body = JSON.writeValueAsString(Map.of("userId", "user-" + (i % 50), "event", event,
                    "messageId", UUID.randomUUID().toString(), "properties", Map.of("seq", i)));
            HttpRequest request = HttpRequest.newBuilder(URI.create(edge.https() + "/v1/track"))
                    .header("Authorization", basic(project.writeKey())).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.acquire();
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> {
                        if (r.statusCode() != 200) {
                            System.out.println("nginx: " + r.statusCode() + " " + r.body());
                        }
                        return r.statusCode();
                    })
                    .whenComplete((status, error) -> inFlight.release()));
        }
        return responses.stream().map(CompletableFuture::join).toList();
    }

    private static double accepted(ServiceProcess ingest) throws Exception {
        String metrics = HttpClient.newHttpClient().send(get(ingest.url() + "/q/metrics"),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("pulse_ingest_events_accepted_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Requests the access log shows sent to more than one instance ("upstream":"a, b"). */
    private static long retriedRequests() throws Exception {
        return Nginx.lines(edge.accessLog()).stream().filter(l -> l.matches(".*\"upstream\":\"[^\"]*, .*")).count();
    }

    private static String lastLine(Nginx nginx, String containing) throws Exception {
        List<String> lines = Nginx.lines(nginx.accessLog());
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(containing)) {
                return lines.get(i);
            }
        }
        throw new AssertionError("no access log line with " + containing);
    }

    private static long storedEvents(TestDatabase.Project project, String event) {
        return TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ? AND event_name = ?",
                project.id(), event);
    }

    private static void assertRateLimitedBody(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("status").asInt()).isEqualTo(429);
        assertThat(body.path("code").asText()).isEqualTo("rate_limited");
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }

    /** A batch of one valid event, padded with JSON whitespace to exactly {@code bytes}. */
    private static String paddedBatch(int bytes) throws Exception {
        String start = "{\"batch\":[" + event("Big") + "]";
        return start + " ".repeat(bytes - start.length() - 1) + "}";
    }

    private static String event(String name) throws Exception {
        return JSON.writeValueAsString(Map.of("userId", "ada", "event", name,
                "messageId", UUID.randomUUID().toString()));
    }

    private static String trendsUrl(TestDatabase.Project project) {
        return edge.https() + "/v1/projects/" + project.id() + "/insights/trends?interval=minute&event=Cached"
                + "&from=" + Instant.now().minusSeconds(3600).toEpochMilli() + "&to=" + Instant.now().toEpochMilli();
    }

    private static HttpResponse<String> read(String url, String readKey) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + readKey).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String writeKey, String body) throws Exception {
        return post(http, url, writeKey, body);
    }

    private static HttpResponse<String> post(HttpClient client, String url, String writeKey, String body)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic(writeKey))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).build();
    }

    private static String basic(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }
}
