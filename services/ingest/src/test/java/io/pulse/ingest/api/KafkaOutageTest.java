package io.pulse.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testing.LocalBroker;
import io.pulse.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Kafka stopped under ingest: every request gets 503 with Retry-After within 2 s, none gets 200; once Kafka is
 * back, requests succeed again without restarting ingest. Uses a broker of its own on port 29092.
 */
@QuarkusTest
@TestProfile(KafkaOutageTest.OwnBroker.class)
class KafkaOutageTest {

    static final LocalBroker BROKER = new LocalBroker(29092, "kafka-outage-test");

    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BrokerResource.class));
        }
    }

    public static class BrokerResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            BROKER.start();
            return Map.of("kafka.bootstrap.servers", BROKER.bootstrap());
        }

        @Override
        public void stop() {
            BROKER.stop();
        }
    }

    private static Response post(String writeKey, int seq) {
        return given().auth().preemptive().basic(writeKey, "")
                .body("{\"userId\":\"u\",\"event\":\"Outage\",\"properties\":{\"seq\":" + seq + "}}")
                .post("/v1/track");
    }

    @Test
    void withKafkaDownRequestsGet503QuicklyAndRecoverWhenItReturns() throws Exception {
        TestDatabase.Project project = TestDatabase.createProject();
        assertThat(post(project.writeKey(), 0).statusCode()).isEqualTo(200);

        BROKER.stop();
        List<CompletableFuture<long[]>> calls = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            int seq = i;
            calls.add(CompletableFuture.supplyAsync(() -> {
                long started = System.nanoTime();
                Response response = post(project.writeKey(), seq);
                long millis = (System.nanoTime() - started) / 1_000_000;
                boolean retryAfter = response.getHeader("Retry-After") != null;
                return new long[] {response.statusCode(), millis, retryAfter ? 1 : 0};
            }));
        }
        for (CompletableFuture<long[]> call : calls) {
            long[] result = call.get();
            assertThat(result[0]).as("status while Kafka is down").isEqualTo(503);
            assertThat(result[1]).as("milliseconds to answer").isLessThan(2_000);
            assertThat(result[2]).as("Retry-After present").isEqualTo(1);
        }

        BROKER.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = post(project.writeKey(), 100).statusCode();
            if (status != 200) {
                Thread.sleep(500);
            }
        }
        assertThat(status).as("ingest recovers without a restart").isEqualTo(200);
    }
}
