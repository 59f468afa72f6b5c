package io.pulse.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.testing.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in Debian's headless chromium, driven by playwright-core (src/test/browser/dashboard.mjs): it
 * connects through the prompt, the chart and tables show the API's numbers, an event posted to the Redis stream
 * during the test shows in the live list, hostile names stay text. Screenshot: target/dashboard.png.
 * Skipped, saying why, when chromium or node is missing (CI installs chromium; see .ci/run).
 */
@QuarkusTest
class DashboardBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final String CHROMIUM = System.getenv().getOrDefault("PULSE_CHROMIUM", "/usr/bin/chromium");

    @Inject
    Redis redis;

    @TestHTTPResource("/")
    URL base;

    /** A "page" rollup: the event rollup when {@code dimensionAndValue} is null, else "dimension=value". */
    private void rollup(String projectId, String dimensionAndValue, Instant minute, int events,
            int persons) {
        if (dimensionAndValue == null) {
            TestDatabase.execute("""
                    INSERT INTO rollup_event_minute (project_id, event_name, minute, events, persons)
                    SELECT ?, 'page', ?::timestamptz, ?, hll_add_agg(hll_hash_text('p' || n), 14)
                      FROM generate_series(1, ?) AS n""", projectId, minute.toString(), events, persons);
            TestDatabase.rollUpHours(projectId);
            return;
        }
        String[] dv = dimensionAndValue.split("=", 2);
        TestDatabase.execute("""
                INSERT INTO rollup_dimension_minute (project_id, event_name, dimension, value, minute, events, persons)
                SELECT ?, 'page', ?, ?, ?::timestamptz, ?, hll_add_agg(hll_hash_text('p' || n), 14)
                  FROM generate_series(1, ?) AS n""", projectId, dv[0], dv[1], minute.toString(), events, persons);
        TestDatabase.rollUpHours(projectId);
    }

    private void send(String... args) {
        Request request = Request.cmd(Command.create(args[0]));
        for (int i = 1; i < args.length; i++) {
            request.arg(args[i]);
        }
        redis.send(request).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void theDashboardShowsRealDataAndLiveEvents() throws Exception {
        assumeTrue(new File(CHROMIUM).canExecute(),
                "chromium not found at " + CHROMIUM + ": apt-get install -y chromium (CI does) to run the browser test");
        assumeTrue(run(List.of("node", "--version"), Duration.ofSeconds(20)) == 0,
                "node not found: apt-get install -y nodejs npm to run the browser test");
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            assumeTrue(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(3)) == 0,
                    "cannot install playwright-core (npm ci in " + BROWSER_DIR + " failed; no network?)");
        }

        TestDatabase.Project project = TestDatabase.createProject();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        String hostilePath = "<script>window.__xss=1</script>";
        rollup(project.id(), null, now.minus(Duration.ofMinutes(10)), 4, 3);
        rollup(project.id(), null, now.minus(Duration.ofMinutes(2)), 3, 2);
        rollup(project.id(), "country=FR", now.minus(Duration.ofMinutes(10)), 4, 3);
        rollup(project.id(), "country=DE", now.minus(Duration.ofMinutes(2)), 3, 2);
        rollup(project.id(), "path=/pricing", now.minus(Duration.ofMinutes(10)), 4, 3);
        rollup(project.id(), "path=" + hostilePath, now.minus(Duration.ofMinutes(2)), 3, 2);
        rollup(project.id(), "device=Desktop", now.minus(Duration.ofMinutes(2)), 7, 3);
        rollup(project.id(), "referrer=news.example", now.minus(Duration.ofMinutes(2)), 2, 1);
        long millis = System.currentTimeMillis();
        send("ZADD", "pulse:" + project.id() + ":live", Long.toString(millis), "p1", Long.toString(millis), "p2");

        String liveEvent = "Checked Out " + UUID.randomUUID().toString().substring(0, 8);
        String hostileEvent = "<img src=x onerror=window.__xss=1>";
        // Posted every 300 ms while the browser runs, as the aggregator would (fields event, person, json).
        ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor();
        poster.scheduleAtFixedRate(() -> {
            for (String name : List.of(liveEvent, hostileEvent)) {
                String json = new ObjectMapper().createObjectNode().set("event", new ObjectMapper().createObjectNode()
                        .put("type", "track").put("event", name).put("userId", "ada")
                        .put("timestamp", Instant.now().toString())).toString();
                send("XADD", "pulse:" + project.id() + ":stream", "*", "event", name, "person", "ada", "json", json);
            }
        }, 1, 300, TimeUnit.MILLISECONDS);

        Path screenshot = Path.of("target/dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        Map<String, Object> expect = Map.of("event", "page", "events", 7, "persons", 3, "livePersons", 2,
                "liveEvent", liveEvent, "hostileEvent", hostileEvent);
        Path output = Files.createTempFile("pulse-dashboard", ".log");
        ProcessBuilder node = new ProcessBuilder("node", "dashboard.mjs").directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        String baseUrl = base.toString().replaceAll("/$", "");
        node.environment().putAll(Map.of("PULSE_BASE", baseUrl, "PULSE_PROJECT", project.id(),
                "PULSE_KEY", project.readKey(), "PULSE_CHROMIUM", CHROMIUM,
                "PULSE_SCREENSHOT", screenshot.toString(),
                "PULSE_EXPECT", new ObjectMapper().writeValueAsString(expect)));
        int exit;
        try {
            Process process = node.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            exit = process.exitValue();
        } finally {
            poster.shutdownNow();
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        String last = lines.isEmpty() ? "{}" : lines.get(lines.size() - 1);
        assertThat(exit).as("dashboard.mjs output:\n%s", String.join("\n", lines)).isZero();
        JsonNode result = new ObjectMapper().readTree(last);
        assertThat(result.get("chartEvents").asInt()).isEqualTo(7);
        assertThat(result.get("topPaths").toString()).contains("/pricing").contains("<script>window.__xss=1</script>");
        assertThat(result.get("topCountries").toString()).contains("FR").contains("DE");
        assertThat(result.get("breakdownLabels").toString()).contains("FR").contains("DE");
        assertThat(result.get("liveNames").toString()).contains(liveEvent).contains("onerror=window.__xss=1");
        assertThat(result.get("xss").asText()).isEqualTo("none");
        assertThat(result.get("pageErrors")).isEmpty();
        assertThat(screenshot).exists();
    }

    private static int run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).directory(BROWSER_DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (Exception e) {
            return -1;
        }
    }
}
