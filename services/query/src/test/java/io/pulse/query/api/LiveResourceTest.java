package io.pulse.query.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live counters, the SSE stream, timelines and recommendations, from hot data written into the real Redis. */
@QuarkusTest
class LiveResourceTest {

    @Inject
    Redis redis;

    @TestHTTPResource("/")
    URL base;

    private TestDatabase.Project project;
    private final List<CompletableFuture<?>> streams = new ArrayList<>();

    @BeforeEach
    void project() {
        project = TestDatabase.createProject();
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(s -> s.cancel(true));
    }

    private String send(Object... args) {
        Request request = Request.cmd(Command.create(args[0].toString()));
        for (int i = 1; i < args.length; i++) {
            request.arg(args[i].toString());
        }
        var reply = redis.send(request).await().atMost(Duration.ofSeconds(5));
        return reply == null ? null : reply.toString();
    }

    private String key(String suffix) {
        return "pulse:" + project.id() + ":" + suffix;
    }

    /** The aggregator's entry format: fields event, person, json (the enriched event). */
    private String xadd(String event, String person) {
        String json = "{\"event\":{\"type\":\"track\",\"event\":\"" + event.replace("\"", "\\\"")
                + "\",\"messageId\":\"m-" + System.nanoTime() + "\",\"properties\":{\"item\":\"x\"}}}";
        return send("XADD", key("stream"), "*", "event", event, "person", person, "json", json);
    }

    private RequestSpecification asReader() {
        return given().header("Authorization", "Bearer " + project.readKey());
    }

    @Test
    void liveCountsPersonsOfTheLastFiveMinutesAndEventsOfTheLastMinute() {
        long now = System.currentTimeMillis();
        send("ZADD", key("live"), now - 1_000, "p1", now - 240_000, "p2", now - 400_000, "p3");
        long oldMillis = now - 120_000;
        send("XADD", key("stream"), oldMillis + "-0", "event", "old", "person", "p3", "json", "{}");
        xadd("a", "p1");
        xadd("b", "p1");
        xadd("c", "p2");
        asReader().get("/v1/projects/{id}/live", project.id())
                .then().statusCode(200)
                .body("activePersons", equalTo(2))      // p1, p2; p3 was last seen 400 s ago
                .body("eventsLastMinute", equalTo(3))   // the entry of 2 minutes ago is out
                .body("perSecond", hasSize(60))
                .body("perSecond.events.sum()", equalTo(3));
    }

    /** Opens the SSE stream and returns its lines as they come. */
    private BlockingQueue<String> open(String query, String lastEventId) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(base.toString() + "v1/projects/" + project.id() + "/stream?" + query))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<?> reading = response.thenAcceptAsync(r -> {
            lines.add("status: " + r.statusCode());
            r.body().forEach(lines::add);
        });
        streams.add(reading);
        return lines;
    }

    private static String waitFor(BlockingQueue<String> lines, String prefix, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            String line = lines.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    @Test
    void anEventAppearsOnTheStreamWithinASecond() throws Exception {
        BlockingQueue<String> lines = open("key=" + project.readKey(), null);
        assertThat(waitFor(lines, "status: ", 5_000)).isEqualTo("status: 200");
        assertThat(waitFor(lines, ":", 5_000)).as("the ready comment").isNotNull();
        long posted = System.currentTimeMillis();
        String id = xadd("Signed Up", "ada");
        String idLine = waitFor(lines, "id:", 1_000);
        assertThat(System.currentTimeMillis() - posted).isLessThan(1_000);
        assertThat(idLine).isEqualTo("id:" + id);
        assertThat(waitFor(lines, "data:", 1_000)).contains("\"Signed Up\"");
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        BlockingQueue<String> lines = open("key=" + project.readKey(), null);
        assertThat(waitFor(lines, "status: ", 5_000)).isEqualTo("status: 200");
        // Every second in tests (pulse.query.stream.heartbeat): a comment line, which EventSource ignores.
        assertThat(waitFor(lines, ":heartbeat", 3_000)).isNotNull();
    }

    @Test
    void theStreamFiltersByEventAndPersonAndResumesAfterLastEventId() throws Exception {
        String first = xadd("Viewed", "ada");
        String second = xadd("Clicked", "ada");
        String third = xadd("Viewed", "bob");
        // Resuming after the first entry replays the later ones that match the filter.
        BlockingQueue<String> viewed = open("key=" + project.readKey() + "&event=Viewed", first);
        assertThat(waitFor(viewed, "id:", 2_000)).isEqualTo("id:" + third);
        BlockingQueue<String> ada = open("key=" + project.readKey() + "&person=ada", first);
        assertThat(waitFor(ada, "id:", 2_000)).isEqualTo("id:" + second);
        String fourth = xadd("Viewed", "ada");
        assertThat(waitFor(ada, "id:", 2_000)).isEqualTo("id:" + fourth);
        assertThat(waitFor(viewed, "id:", 2_000)).isEqualTo("id:" + fourth);
    }

    @Test
    void theStreamChecksItsKeyAndLastEventId() throws Exception {
        String path = base + "v1/projects/" + project.id() + "/stream";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var noKey = client.send(HttpRequest.newBuilder(URI.create(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).contains("missing_read_key");
        TestDatabase.Project other = TestDatabase.createProject();
        var otherKey = client.send(HttpRequest.newBuilder(URI.create(path + "?key=" + other.readKey())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(otherKey.statusCode()).isEqualTo(404);
        var badId = client.send(HttpRequest.newBuilder(URI.create(path + "?key=" + project.readKey()))
                .header("Last-Event-ID", "0-0'; FLUSHALL").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("Last-Event-ID");
    }

    @Test
    void timelineReadsThePersonStreamNewestFirst() {
        String personStream = key("person:ada:stream");
        send("XADD", personStream, "*", "event", "Signed Up", "json",
                "{\"event\":{\"type\":\"track\",\"event\":\"Signed Up\",\"messageId\":\"m1\","
                        + "\"timestamp\":\"2026-12-03T10:00:00Z\",\"properties\":{\"plan\":\"pro\"}}}");
        send("XADD", personStream, "*", "event", "<img src=x onerror=alert(1)>", "json",
                "{\"event\":{\"type\":\"track\",\"messageId\":\"m2\",\"timestamp\":\"2026-12-03T10:01:00Z\"}}");
        asReader().get("/v1/projects/{id}/persons/{person}/timeline", project.id(), "ada")
                .then().statusCode(200)
                .body("source", equalTo("stream"))
                .body("events.event", contains("<img src=x onerror=alert(1)>", "Signed Up"))
                .body("events.messageId", contains("m2", "m1"))
                .body("events[1].time", equalTo("2026-12-03T10:00:00Z"))
                .body("events[1].properties.plan", equalTo("pro"));
        asReader().get("/v1/projects/{id}/persons/{person}/timeline", project.id(), "nobody")
                .then().statusCode(200).body("events", hasSize(0));
    }

    @Test
    void recommendationsFromCoOccurrenceForAnItemAndAPerson() {
        send("ZADD", key("co:shoes"), 5, "socks", 3, "laces", 1, "hat");
        send("ZADD", key("co:socks"), 5, "shoes", 4, "laces", 2, "scarf");
        send("ZADD", key("recent:ada"), 1, "shoes", 2, "socks");
        asReader().queryParam("item", "shoes").get("/v1/projects/{id}/recommendations", project.id())
                .then().statusCode(200)
                .body("source", equalTo("co-occurrence"))
                .body("items.item", contains("socks", "laces", "hat"))
                .body("items.score", contains(5.0f, 3.0f, 1.0f));
        // ada saw shoes and socks: laces 3 + 4 = 7, scarf 2, hat 1; her own items are left out.
        asReader().queryParam("person", "ada").get("/v1/projects/{id}/recommendations", project.id())
                .then().statusCode(200)
                .body("source", equalTo("co-occurrence"))
                .body("items.item", contains("laces", "scarf", "hat"))
                .body("items.score", contains(7.0f, 2.0f, 1.0f));
        asReader().queryParam("person", "ada").queryParam("limit", "1")
                .get("/v1/projects/{id}/recommendations", project.id())
                .then().statusCode(200).body("items.item", contains("laces"));
    }

    @Test
    void withoutSignalRecommendationsAreTrendingItems() {
        long hour = System.currentTimeMillis() / 3_600_000;
        send("ZADD", key("trending:" + hour), 4, "mug", 2, "pen");
        send("ZADD", key("trending:" + (hour - 1)), 3, "pen", 1, "cap");
        send("ZADD", key("trending:" + (hour - 5)), 100, "stale");
        asReader().queryParam("item", "unknown").get("/v1/projects/{id}/recommendations", project.id())
                .then().statusCode(200)
                .body("source", equalTo("trending"))
                .body("items.item", contains("pen", "mug", "cap"))
                .body("items.score", contains(5.0f, 4.0f, 1.0f));
        send("ZADD", key("recent:bob"), 1, "mug");
        asReader().queryParam("person", "bob").get("/v1/projects/{id}/recommendations", project.id())
                .then().statusCode(200)
                .body("source", equalTo("trending"))
                .body("items.item", contains("pen", "cap"));
        asReader().get("/v1/projects/{id}/recommendations", project.id()).then().statusCode(400);
    }

    @Test
    void everyEndpointIsScopedToItsProject() {
        TestDatabase.Project other = TestDatabase.createProject();
        List<String> paths = List.of(
                "/insights/trends?event=E",
                "/insights/trends?event=E&breakdown=country",
                "/insights/top?dimension=path",
                "/insights/funnel?steps=a,b",
                "/insights/retention?start=a",
                "/live",
                "/persons/ada/timeline",
                "/recommendations?item=x");
        for (String path : paths) {
            given().get("/v1/projects/" + project.id() + path).then().statusCode(401);
            given().header("Authorization", "Bearer " + other.readKey()).get("/v1/projects/" + project.id() + path)
                    .then().statusCode(404).body("code", equalTo("project_not_found"));
            given().header("Authorization", "Bearer " + project.writeKey()).get("/v1/projects/" + project.id() + path)
                    .then().statusCode(401);
            asReader().get("/v1/projects/" + project.id() + path).then().statusCode(200);
        }
    }

    @Test
    void scriptLookingParametersComeBackAsJsonData() {
        String hostile = "<script>alert('x')</script>";
        asReader().queryParam("event", hostile).get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200).contentType("application/json").body("event", equalTo(hostile));
        asReader().queryParam("item", hostile).get("/v1/projects/{id}/recommendations", project.id())
                .then().statusCode(200).contentType("application/json").body("item", equalTo(hostile));
    }
}
