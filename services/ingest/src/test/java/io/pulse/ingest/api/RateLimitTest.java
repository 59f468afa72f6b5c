package io.pulse.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTest.TinyLimit.class)
class RateLimitTest {

    public static class TinyLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pulse.ingest.rate-limit.events-per-second", "1",
                    "pulse.ingest.rate-limit.burst", "10");
        }
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndOtherKeysAreUnaffected() {
        TestDatabase.Project busy = TestDatabase.createProject();
        TestDatabase.Project quiet = TestDatabase.createProject();
        String batch = "{\"batch\":[" + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"},".repeat(7)
                + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}";
        given().auth().preemptive().basic(busy.writeKey(), "").body(batch).post("/v1/batch")
                .then().statusCode(200).body("accepted", equalTo(8));
        given().auth().preemptive().basic(busy.writeKey(), "").body(batch).post("/v1/batch")
                .then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("rate_limited"));
        given().auth().preemptive().basic(quiet.writeKey(), "").body(batch).post("/v1/batch")
                .then().statusCode(200);
    }
}
