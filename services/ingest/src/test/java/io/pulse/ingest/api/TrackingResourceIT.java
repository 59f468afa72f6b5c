package io.pulse.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The packaged ingest (the JVM jar in bin/pulse test, the native binary in the native workflow) against the real
 * Kafka and PostgreSQL: the paths that reflection-free native code could break, JSON in, JSON out, errors.
 */
@QuarkusIntegrationTest
class TrackingResourceIT {

    private final TestDatabase.Project project = TestDatabase.createProject();

    private List<ConsumerRecord<String, String>> readOwn(TestKafka.Mark mark) {
        return TestKafka.read(mark, r -> r.value().contains("\"" + project.id() + "\""), 1, Duration.ofSeconds(15));
    }

    private static JsonNode json(ConsumerRecord<String, String> record) throws IOException {
        return EventJson.MAPPER.readTree(record.value());
    }

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void anAcceptedEventIsOnTheRawTopic() throws IOException {
        TestKafka.Mark mark = TestKafka.mark(Topics.RAW);
        given().auth().preemptive().basic(project.writeKey(), "").contentType(ContentType.JSON)
                .body("{\"userId\":\"ada\",\"event\":\"Signed Up\",\"properties\":{\"plan\":\"pro\"}}")
                .post("/v1/track")
                .then().statusCode(200).body("success", equalTo(true));

        List<ConsumerRecord<String, String>> records = readOwn(mark);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(project.id() + ":ada");
        JsonNode event = json(records.get(0));
        assertThat(event.path("type").asText()).isEqualTo("track");
        assertThat(event.path("properties").path("plan").asText()).isEqualTo("pro");
        assertThat(event.path("messageId").asText()).isNotEmpty();
    }

    @Test
    void anInvalidEventIsRefusedAsAProblemAndDeadLettered() throws IOException {
        TestKafka.Mark dlq = TestKafka.mark(Topics.DLQ);
        given().auth().preemptive().basic(project.writeKey(), "").contentType(ContentType.JSON)
                .body("{\"userId\":\"undefined\",\"event\":\"E\"}")
                .post("/v1/track")
                .then().statusCode(400)
                .body("code", equalTo("placeholder_distinct_id"))
                .body("field", equalTo("userId"));

        List<ConsumerRecord<String, String>> letters = readOwn(dlq);
        assertThat(letters).hasSize(1);
        assertThat(json(letters.get(0)).path("reason").asText()).isEqualTo("placeholder_distinct_id");
    }

    @Test
    void anUnknownKeyGets401() {
        given().auth().preemptive().basic("wk_nobody", "").contentType(ContentType.JSON)
                .body("{\"userId\":\"u\",\"event\":\"E\"}")
                .post("/v1/track")
                .then().statusCode(401).body("code", equalTo("unknown_write_key"));
    }
}
