package io.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.HotKeys;
import io.pulse.testing.ServiceProcess;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestRedis;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
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
        // Behind a proxy on this host, as behind nginx: X-Forwarded-For from 127.0.0.1 names the client.
        ingest = ServiceProcess.start("ingest", Map.of("pulse.ingest.proxy.trusted", "127.0.0.1"));
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

    /**
     * Known client addresses in every way one reaches ingest (X-Forwarded-For from the trusted proxy, IPv4 and
     * IPv6; context.ip in the body, as server-side SDKs send it; the socket itself), then every PostgreSQL table
     * and every Redis key and value searched for them: only the /24 and /48 forms may be anywhere.
     */
    @Test
    void noFullIpAddressIsStoredInPostgresOrRedis() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        String event = "E2E Privacy " + UUID.randomUUID();
        SplittableRandom random = new SplittableRandom();
        // Random per run, so no other test's data can match; IPv6 groups of four hex digits without a leading
        // zero, so each address has one textual form.
        String forwardedV4 = ipv4(random, 81);
        String bodyV4 = ipv4(random, 94);
        String forwardedV6 = ipv6(random, "2a01");
        String bodyV6 = ipv6(random, "2a02");
        String agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
                + "Safari/537.36";
        String auth = "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":")
                .getBytes(StandardCharsets.UTF_8));
        List<Map<String, String>> ways = List.of(
                Map.of("X-Forwarded-For", forwardedV4), Map.of("X-Forwarded-For", forwardedV6),
                Map.of("ip", bodyV4), Map.of("ip", bodyV6), Map.of()); // the last: the socket's 127.0.0.1
        int perWay = 4;
        for (Map<String, String> way : ways) {
            for (int i = 0; i < perWay; i++) {
                Map<String, Object> context = new java.util.HashMap<>(Map.of("userAgent", agent));
                if (way.containsKey("ip")) {
                    context.put("ip", way.get("ip"));
                }
                String body = JSON.writeValueAsString(Map.of("messageId", UUID.randomUUID().toString(),
                        "userId", "privacy-" + i, "event", event, "context", context));
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest.url() + "/v1/track"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                if (way.containsKey("X-Forwarded-For")) {
                    request.header("X-Forwarded-For", way.get("X-Forwarded-For"));
                }
                assertThat(sendRetrying503(request.build(), 3, new ArrayList<>()).join()).isEqualTo(200);
            }
        }
        long total = (long) ways.size() * perWay;
        // Stored in PostgreSQL, then (after the commit) in the project's Redis stream.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ?", project.id()) < total
                || !Long.valueOf(total).equals(TestRedis.command("XLEN", HotKeys.stream(project.id()))))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ?", project.id()))
                .isEqualTo(total);
        assertThat(TestRedis.command("XLEN", HotKeys.stream(project.id()))).isEqualTo(total);

        // A full address, or of an IPv6 address its last 64 bits in any notation and letter case.
        List<String> full = List.of(forwardedV4, bodyV4, forwardedV6, bodyV6, "127.0.0.1");
        Pattern leak = Pattern.compile(String.join("|", List.of(
                "(?<![0-9.])" + Pattern.quote(forwardedV4) + "(?![0-9])",
                "(?<![0-9.])" + Pattern.quote(bodyV4) + "(?![0-9])",
                Pattern.quote(interfaceId(forwardedV6)),
                Pattern.quote(interfaceId(bodyV6)))), Pattern.CASE_INSENSITIVE);
        // The socket's address is not this run's own: other tests' fixtures may hold it, so only this project's
        // rows and keys are searched for it.
        Pattern socketLeak = Pattern.compile("(?<![0-9.])127\\.0\\.0\\.1(?![0-9])");
        // What must be there instead, the /24 and /48 forms: proves the search looks where addresses go.
        List<String> anonymized = List.of(slash24(forwardedV4), slash24(bodyV4), slash48(forwardedV6),
                slash48(bodyV6), "127.0.0.0");

        List<String> leaks = new ArrayList<>();
        StringBuilder projectRows = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (var c = TestDatabase.connect()) {
            List<String> byProject = new ArrayList<>();
            try (var rows = c.createStatement().executeQuery("""
                    SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                                AND a.attname = 'project_id' AND NOT a.attisdropped)
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition""")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                    if (rows.getBoolean(2)) {
                        byProject.add(rows.getString(1));
                    }
                }
            }
            for (String table : tables) {
                // Tables keyed by project: this project's rows (the addresses are this run's); others: every row.
                boolean ofProject = byProject.contains(table);
                String sql = "SELECT t::text FROM \"" + table + "\" t" + (ofProject ? " WHERE project_id = ?" : "");
                try (var statement = c.prepareStatement(sql)) {
                    if (ofProject) {
                        statement.setString(1, project.id());
                    }
                    try (var rows = statement.executeQuery()) {
                        while (rows.next()) {
                            String row = rows.getString(1);
                            if (leak.matcher(row).find() || ofProject && socketLeak.matcher(row).find()) {
                                leaks.add("PostgreSQL " + table + ": " + row);
                            }
                            if (ofProject) {
                                projectRows.append(row).append('\n');
                            }
                        }
                    }
                }
            }
        }
        StringBuilder projectHotData = new StringBuilder();
        long keys = TestRedis.scanAll((key, value) -> {
            boolean ofProject = key.startsWith("pulse:" + project.id() + ":");
            if (leak.matcher(key).find() || leak.matcher(value).find()
                    || ofProject && socketLeak.matcher(value).find()) {
                leaks.add("Redis " + key + ": " + value.substring(0, Math.min(300, value.length())));
            }
            if (ofProject) {
                projectHotData.append(value).append('\n');
            }
        });
        System.out.printf("e2e: searched PostgreSQL tables %s and %d Redis keys for %s: %d found%n", tables, keys,
                full, leaks.size());
        assertThat(leaks).as("full IP addresses stored").isEmpty();
        for (String form : anonymized) {
            assertThat(projectRows.toString()).as("stored events carry " + form).contains(form);
            assertThat(projectHotData.toString()).as("Redis hot data carries " + form).contains(form);
        }
    }

    private static String ipv4(SplittableRandom random, int first) {
        return first + "." + (1 + random.nextInt(254)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private static String ipv6(SplittableRandom random, String first) {
        StringBuilder address = new StringBuilder(first);
        for (int i = 1; i < 8; i++) {
            address.append(':').append(Integer.toHexString(0x1000 + random.nextInt(0xefff)));
        }
        return address.toString();
    }

    /** The last four groups (64 bits) of an eight-group IPv6 address. */
    private static String interfaceId(String ipv6) {
        String[] groups = ipv6.split(":");
        return String.join(":", groups[4], groups[5], groups[6], groups[7]);
    }

    private static String slash24(String ipv4) {
        return ipv4.substring(0, ipv4.lastIndexOf('.')) + ".0";
    }

    /** The /48 as the enricher writes it (the JDK's text): three groups, then five zeros. */
    private static String slash48(String ipv6) {
        String[] groups = ipv6.split(":");
        return groups[0] + ":" + groups[1] + ":" + groups[2] + ":0:0:0:0:0";
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
