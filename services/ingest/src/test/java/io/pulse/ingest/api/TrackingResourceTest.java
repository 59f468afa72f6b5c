package io.pulse.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.pulse.shared.Limits;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracking API against real Kafka and PostgreSQL: what a 200 promises is read back from the topic. */
@QuarkusTest
class TrackingResourceTest {

    private TestDatabase.Project project;

    @BeforeEach
    void newProject() {
        project = TestDatabase.createProject();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return EventJson.MAPPER.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<ConsumerRecord<String, String>> readOwn(TestKafka.Mark mark, int expected) {
        return TestKafka.read(mark, r -> r.value().contains("\"" + project.id() + "\""), expected,
                Duration.ofSeconds(10));
    }

    @Test
    void aTwoHundredMeansTheEventIsOnTheRawTopicWithItsKey() {
        TestKafka.Mark mark = TestKafka.mark(Topics.RAW);
        given().auth().preemptive().basic(project.writeKey(), "").contentType(ContentType.JSON)
                .header("CF-IPCountry", "se")
                .body("{\"userId\":\"ada\",\"event\":\"Signed Up\",\"messageId\":\"m-1\",\"properties\":{\"plan\":\"pro\"}}")
                .post("/v1/track")
                .then().statusCode(200).contentType(ContentType.JSON).body(equalTo("{\"success\":true}"));

        List<ConsumerRecord<String, String>> records = readOwn(mark, 1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(project.id() + ":ada");
        JsonNode event = json(records.get(0));
        assertThat(event.path("type").asText()).isEqualTo("track");
        assertThat(event.path("messageId").asText()).isEqualTo("m-1");
        assertThat(event.path("properties").path("plan").asText()).isEqualTo("pro");
        assertThat(event.path("context").path("edgeCountry").asText()).isEqualTo("SE");
        assertThat(event.path("context").path("ip").asText()).isNotEmpty();
        assertThat(event.path("receivedAt").asText()).isNotEmpty();
    }

    @Test
    void everyTypeHasItsEndpoint() {
        for (String body : List.of(
                "identify:{\"userId\":\"u1\",\"traits\":{\"email\":\"u1@example.com\"}}",
                "page:{\"anonymousId\":\"a1\",\"name\":\"Pricing\"}",
                "screen:{\"userId\":\"u1\",\"name\":\"Home\"}",
                "group:{\"userId\":\"u1\",\"groupId\":\"acme\"}",
                "alias:{\"userId\":\"u1\",\"previousId\":\"a1\"}")) {
            String[] parts = body.split(":", 2);
            given().auth().preemptive().basic(project.writeKey(), "").body(parts[1]).post("/v1/" + parts[0])
                    .then().statusCode(200).body("success", equalTo(true));
        }
    }

    @Test
    void theWriteKeyMayComeInTheBody() {
        given().contentType(ContentType.JSON)
                .body("{\"writeKey\":\"" + project.writeKey() + "\",\"userId\":\"u\",\"event\":\"E\"}")
                .post("/v1/track").then().statusCode(200);
    }

    @Test
    void missingOrUnknownKeysGet401() {
        given().body("{\"userId\":\"u\",\"event\":\"E\"}").post("/v1/track")
                .then().statusCode(401).body("code", equalTo("missing_write_key"));
        given().auth().preemptive().basic("wk_nobody", "").body("{\"userId\":\"u\",\"event\":\"E\"}")
                .post("/v1/track")
                .then().statusCode(401).body("code", equalTo("unknown_write_key"));
        given().header("Authorization", "Bearer " + project.writeKey()).body("{\"userId\":\"u\",\"event\":\"E\"}")
                .post("/v1/track")
                .then().statusCode(401).body("code", equalTo("unsupported_authorization"));
    }

    @Test
    void aReadKeyCannotWrite() {
        given().auth().preemptive().basic(project.readKey(), "").body("{\"userId\":\"u\",\"event\":\"E\"}")
                .post("/v1/track").then().statusCode(401);
    }

    @Test
    void aRevokedKeyStopsWorkingOnceTheCacheExpires() throws InterruptedException {
        String body = "{\"userId\":\"u\",\"event\":\"E\"}";
        given().auth().preemptive().basic(project.writeKey(), "").body(body).post("/v1/track").then().statusCode(200);
        TestDatabase.revokeKey(project.writeKey());
        Thread.sleep(1_500); // test profile: cache-ttl=1s (production default 30s, well within a minute)
        given().auth().preemptive().basic(project.writeKey(), "").body(body).post("/v1/track").then().statusCode(401);
    }

    @Test
    void malformedJsonGets400WithThePosition() {
        given().auth().preemptive().basic(project.writeKey(), "").body("{\"userId\":\"u\",\n \"event\": }")
                .post("/v1/track")
                .then().statusCode(400)
                .body("code", equalTo("malformed_json"))
                .body("field", equalTo("body"))
                .body("message", containsString("line 2, column"));
    }

    @Test
    void anInvalidEventIsRefusedByNameAndDeadLettered() {
        TestKafka.Mark dlq = TestKafka.mark(Topics.DLQ);
        given().auth().preemptive().basic(project.writeKey(), "").body("{\"userId\":\"undefined\",\"event\":\"E\"}")
                .post("/v1/track")
                .then().statusCode(400)
                .body("code", equalTo("placeholder_distinct_id"))
                .body("field", equalTo("userId"));
        List<ConsumerRecord<String, String>> letters = readOwn(dlq, 1);
        assertThat(letters).hasSize(1);
        assertThat(json(letters.get(0)).path("reason").asText()).isEqualTo("placeholder_distinct_id");
        assertThat(json(letters.get(0)).path("payload").path("userId").asText()).isEqualTo("undefined");
    }

    @Test
    void aPartialBatchAcceptsTheValidAndReportsEachInvalid() {
        TestKafka.Mark raw = TestKafka.mark(Topics.RAW);
        TestKafka.Mark dlq = TestKafka.mark(Topics.DLQ);
        String batch = """
                {"batch":[
                  {"type":"track","userId":"u1","event":"A"},
                  {"type":"track","userId":"u2"},
                  {"type":"page","anonymousId":"a3","name":"Home"},
                  {"type":"track","event":"B"},
                  {"type":"nonsense","userId":"u5"}
                ],"context":{"locale":"de-DE"},"sentAt":"2026-12-03T12:00:00Z"}
                """;
        given().auth().preemptive().basic(project.writeKey(), "").contentType(ContentType.JSON).body(batch)
                .post("/v1/batch")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("accepted", equalTo(2))
                .body("rejected", hasSize(3))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].field", equalTo("event"))
                .body("rejected[0].reason", equalTo("missing_event"))
                .body("rejected[1].index", equalTo(3))
                .body("rejected[1].reason", equalTo("missing_distinct_id"))
                .body("rejected[2].field", equalTo("type"));
        assertThat(readOwn(raw, 2)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(project.id() + ":u1", project.id() + ":a3");
        assertThat(readOwn(dlq, 3)).hasSize(3);
    }

    @Test
    void importIsBatch() {
        given().auth().preemptive().basic(project.writeKey(), "")
                .body("{\"batch\":[{\"type\":\"identify\",\"userId\":\"u1\"}]}").post("/v1/import")
                .then().statusCode(200).body("accepted", equalTo(1)).body("rejected", nullValue());
    }

    @Test
    void gzipBodiesAreRead() throws Exception {
        TestKafka.Mark raw = TestKafka.mark(Topics.RAW);
        byte[] body = gzip("{\"userId\":\"gz\",\"event\":\"Compressed\"}".getBytes(StandardCharsets.UTF_8));
        given().auth().preemptive().basic(project.writeKey(), "").header("Content-Encoding", "gzip")
                .contentType(ContentType.JSON).body(body).post("/v1/track")
                .then().statusCode(200);
        assertThat(readOwn(raw, 1)).hasSize(1);
    }

    @Test
    void aGzipBombGets413NotAnOutOfMemory() throws Exception {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MB of zeros in about 64 KB
        given().auth().preemptive().basic(project.writeKey(), "").header("Content-Encoding", "gzip")
                .contentType(ContentType.JSON).body(bomb).post("/v1/track")
                .then().statusCode(413).body("code", equalTo("request_too_large"));
    }

    @Test
    void oversizedEventsAndBatchesGet413() {
        String big = "x".repeat(Limits.MAX_EVENT_BYTES);
        given().auth().preemptive().basic(project.writeKey(), "")
                .body("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"blob\":\"" + big + "\"}}")
                .post("/v1/track")
                .then().statusCode(413).body("code", equalTo("event_too_large"));

        String item = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\"" + "y".repeat(10_000) + "\"}}";
        String batch = "{\"batch\":[" + String.join(",", java.util.Collections.nCopies(60, item)) + "]}";
        given().auth().preemptive().basic(project.writeKey(), "").body(batch).post("/v1/batch")
                .then().statusCode(413).body("code", equalTo("request_too_large"));
    }

    @Test
    void oneUsersEventsArriveInTheOrderTheyWereSent() {
        TestKafka.Mark raw = TestKafka.mark(Topics.RAW);
        int count = 1_000;
        for (int i = 0; i < count; i++) {
            given().auth().preemptive().basic(project.writeKey(), "")
                    .body("{\"userId\":\"busy\",\"event\":\"Step\",\"properties\":{\"seq\":" + i + "}}")
                    .post("/v1/track").then().statusCode(200);
        }
        List<ConsumerRecord<String, String>> records = readOwn(raw, count);
        assertThat(records).hasSize(count);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
        List<Integer> sequence = records.stream().map(r -> json(r).path("properties").path("seq").asInt()).toList();
        assertThat(sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void uniqueMessageIdsAreGeneratedWhenAbsent() {
        TestKafka.Mark raw = TestKafka.mark(Topics.RAW);
        for (int i = 0; i < 3; i++) {
            given().auth().preemptive().basic(project.writeKey(), "").body("{\"userId\":\"u\",\"event\":\"E\"}")
                    .post("/v1/track").then().statusCode(200);
        }
        List<String> ids = readOwn(raw, 3).stream().map(r -> json(r).path("messageId").asText()).toList();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
    }

    @Test
    void browsersGetACorsPreflightAnswer() {
        given().header("Origin", "https://shop.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/v1/track")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .header("Access-Control-Allow-Methods", containsString("POST"));
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
