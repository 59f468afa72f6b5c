package io.pulse.query.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The packaged query service (the JVM jar in bin/pulse test, the native binary in the native workflow) against the
 * real PostgreSQL and Redis: an answer computed, then the same answer read back from the Redis cache, and errors.
 */
@QuarkusIntegrationTest
class InsightsResourceIT {

    private final TestDatabase.Project project = TestDatabase.createProject();

    private RequestSpecification trend() {
        return given().header("Authorization", "Bearer " + project.readKey())
                .queryParam("event", "Signed Up").queryParam("interval", "minute")
                .queryParam("from", "2026-11-30T10:00:00Z").queryParam("to", "2026-11-30T10:03:00Z");
    }

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aTrendIsTheSameComputedAndFromTheCache() {
        TestDatabase.execute("""
                INSERT INTO rollup_event_minute (project_id, event_name, minute, events, persons)
                SELECT ?, 'Signed Up', '2026-11-30T10:01:00Z'::timestamptz, 5, hll_add_agg(hll_hash_text('p' || n), 14)
                  FROM generate_series(1, 3) AS n""", project.id());
        String path = "/v1/projects/{id}/insights/trends";
        for (int call = 0; call < 2; call++) { // the second answer comes from Redis, through Jackson
            trend().get(path, project.id())
                    .then().statusCode(200)
                    .body("series.events", contains(0, 5, 0))
                    .body("series.persons", contains(0, 3, 0))
                    .body("total.events", equalTo(5))
                    .body("total.persons", equalTo(3));
        }
    }

    @Test
    void anUnknownKeyGets401() {
        given().header("Authorization", "Bearer rk_nobody").queryParam("event", "Signed Up")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(401).body("code", equalTo("unknown_read_key"));
    }
}
