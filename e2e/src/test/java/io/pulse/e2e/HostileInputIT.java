package io.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testing.ServiceProcess;
import io.pulse.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
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
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus of hostile requests against the running pipeline, with valid events sent between them: every hostile
 * request gets a 4xx with a machine-readable reason (never a 5xx), the services stay up, every valid event is
 * counted, and hostile-looking strings in valid events are stored verbatim.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess ingest;
    private static ServiceProcess query;
    // HTTP/1.1 as SDKs speak it (over h2c the server answers an oversized header with GOAWAY, not a status)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One hostile request: a name, its body bytes, extra headers, the path. */
    record Hostile(String name, String path, byte[] body, Map<String, String> headers) {
        static Hostile json(String name, String body) {
            return new Hostile(name, "/v1/track", body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Hostile batch(String name, String body) {
            return new Hostile(name, "/v1/batch", body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestDatabase.migrate();
        ServiceProcess aggregator = ServiceProcess.start("aggregator");
        services.add(aggregator);
        aggregator.awaitReady(Duration.ofSeconds(60));
        ingest = ServiceProcess.start("ingest");
        query = ServiceProcess.start("query");
        services.addAll(List.of(ingest, ServiceProcess.start("enricher"), query));
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(60));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServiceProcess service : services) {
            service.close();
        }
    }

    static List<Hostile> corpus() throws Exception {
        List<Hostile> corpus = new ArrayList<>();
        for (String broken : List.of("{", "{\"userId\":", "[1,2", "nul", "{\"userId\":\"u\",\"event\":\"e\"}}",
                "{\"userId\":\"u\" \"event\":\"e\"}", "{'userId':'u'}", "\u0000\u0001\u0002", "<xml/>", "null", "42",
                "\"just a string\"", "[]")) {
            corpus.add(Hostile.json("malformed " + broken.replace("\u0000", "\\0"), broken));
        }
        corpus.add(Hostile.json("userId object", "{\"userId\":{},\"event\":\"e\"}"));
        corpus.add(Hostile.json("event array", "{\"userId\":\"u\",\"event\":[]}"));
        corpus.add(Hostile.json("properties string", "{\"userId\":\"u\",\"event\":\"e\",\"properties\":\"x\"}"));
        corpus.add(Hostile.json("timestamp garbage", "{\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"12abc\"}"));
        corpus.add(Hostile.json("timestamp far future", "{\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2999-01-01T00:00:00Z\"}"));
        corpus.add(Hostile.json("placeholder id", "{\"userId\":\"[object Object]\",\"event\":\"e\"}"));
        corpus.add(Hostile.json("no id", "{\"event\":\"e\"}"));
        corpus.add(Hostile.json("huge event name", "{\"userId\":\"u\",\"event\":\"" + "e".repeat(10_000) + "\"}"));
        corpus.add(Hostile.json("huge property", "{\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"p\":\""
                + "x".repeat(40_000) + "\"}}"));
        corpus.add(Hostile.json("huge messageId", "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + "m".repeat(500) + "\"}"));
        corpus.add(Hostile.json("deep properties", "{\"userId\":\"u\",\"event\":\"e\",\"properties\":"
                + "{\"a\":".repeat(50) + "1" + "}".repeat(50) + "}"));
        corpus.add(Hostile.json("nesting bomb", "[".repeat(100_000)));
        corpus.add(Hostile.json("huge number", "{\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"n\":"
                + "9".repeat(5_000) + "}}"));
        byte[] invalidUtf8 = "{\"userId\":\"u\",\"event\":\"\u00ff\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        corpus.add(new Hostile("invalid UTF-8", "/v1/track", invalidUtf8, Map.of()));
        corpus.add(Hostile.batch("batch not an array", "{\"batch\":\"all of them\"}"));
        corpus.add(Hostile.batch("no batch", "{\"events\":[]}"));
        corpus.add(Hostile.batch("10,000-item batch", "{\"batch\":[" + String.join(",",
                java.util.Collections.nCopies(10_000, "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}")) + "]}"));
        corpus.add(Hostile.batch("batch of 600 KB", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\","
                + "\"properties\":{\"p\":\"" + "y".repeat(600_000) + "\"}}]}"));
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            gz.write(new byte[100 * 1024 * 1024]);
        }
        corpus.add(new Hostile("gzip bomb", "/v1/track", bomb.toByteArray(), Map.of("Content-Encoding", "gzip")));
        corpus.add(new Hostile("not gzip", "/v1/track", "plain".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "gzip")));
        corpus.add(new Hostile("brotli", "/v1/track", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "br")));
        corpus.add(new Hostile("xml content type", "/v1/track", "<event><userId>u</userId></event>"
                .getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/xml")));
        corpus.add(new Hostile("oversized header", "/v1/track", "{\"userId\":\"u\",\"event\":\"e\"}"
                .getBytes(StandardCharsets.UTF_8), Map.of("X-Padding", "p".repeat(20_000))));
        corpus.add(new Hostile("empty body", "/v1/track", new byte[0], Map.of()));
        corpus.add(new Hostile("unknown endpoint", "/v1/purchase", "{}".getBytes(StandardCharsets.UTF_8), Map.of()));
        return corpus;
    }

    @Test
    void hostileRequestsGetClear4xxAndValidEventsBesideThemAreAllCounted() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        String auth = "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        String valid = "Valid " + UUID.randomUUID();
        String sqlName = "Robert'); DROP TABLE events; --";
        String script = "<script>alert('pwned')</script>";
        Instant from = Instant.now().minusSeconds(120);
        int validSent = 0;
        List<String> failures = new ArrayList<>();
        for (Hostile hostile : corpus()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest.url() + hostile.path()))
                    .header("Authorization", auth).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(hostile.body()));
            hostile.headers().forEach(request::header);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                failures.add(hostile.name() + ": connection failed (" + e.getMessage() + ")");
                continue;
            }
            int status = response.statusCode();
            if (status < 400 || status >= 500) {
                failures.add(hostile.name() + ": " + status + " " + abbreviate(response.body()));
            } else if (status != 404 && status != 405 && status != 431 && !response.body().contains("\"code\"")) {
                // the framework's own refusals (unknown path, header too large) carry no Pulse body; ours must
                failures.add(hostile.name() + ": " + status + " without a machine-readable reason: "
                        + abbreviate(response.body()));
            }
            // a valid event between every two hostile ones
            String body = JSON.writeValueAsString(Map.of("userId", "good-" + validSent, "event", valid,
                    "messageId", UUID.randomUUID().toString(),
                    "properties", Map.of("note", validSent == 0 ? script : "fine")));
            assertThat(post(auth, body)).as("valid event after " + hostile.name()).isEqualTo(200);
            validSent++;
        }
        assertThat(failures).as("hostile requests answered otherwise than 4xx with a reason").isEmpty();

        String sqlBody = JSON.writeValueAsString(Map.of("userId", "bobby", "event", sqlName,
                "properties", Map.of("comment", script)));
        assertThat(post(auth, sqlBody)).as("hostile-looking but valid event").isEqualTo(200);

        awaitCount(project, valid, validSent, from);
        assertThat(count(project, valid, from)).as("every valid event counted").isEqualTo(validSent);
        awaitCount(project, sqlName, 1, from);
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ? AND event_name = ? "
                + "AND payload->'event'->'properties'->>'comment' = ?", project.id(), sqlName, script))
                .as("hostile strings stored verbatim").isEqualTo(1);
        for (ServiceProcess service : services) {
            assertThat(service.isAlive()).as(service.name + " still running").isTrue();
            service.awaitReady(Duration.ofSeconds(5));
        }
    }

    /**
     * Posts a valid event; retries once on a network error, as SDKs do: after refusing an oversized header the
     * server closes the connection, and the client may have picked that pooled connection for this request.
     * The event carries a messageId, so a retry can never count twice.
     */
    private int post(String auth, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingest.url() + "/v1/track"))
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException closedConnection) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private long count(TestDatabase.Project project, String event, Instant from) throws Exception {
        String url = query.url() + "/v1/projects/" + project.id() + "/insights/trends?interval=hour&event="
                + URLEncoder.encode(event, StandardCharsets.UTF_8) + "&from=" + from + "&to=" + Instant.now().plusSeconds(3600);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + project.readKey()).header("Cache-Control", "no-cache").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode trend = JSON.readTree(response.body());
        return trend.path("total").path("events").asLong();
    }

    private void awaitCount(TestDatabase.Project project, String event, long expected, Instant from) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(project, event, from) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }
}
