package io.pulse.query.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trends from rollups written straight into the real PostgreSQL, so every expected number is known. */
@QuarkusTest
class InsightsResourceTest {

    private TestDatabase.Project project;

    /** {@code events} events by persons p1..p{persons} at one minute. */
    private void rollup(String event, String minute, int events, int persons) {
        TestDatabase.execute("""
                INSERT INTO rollup_event_minute (project_id, event_name, minute, events, persons)
                SELECT ?, ?, ?::timestamptz, ?, hll_add_agg(hll_hash_text('p' || n), 14)
                  FROM generate_series(1, ?) AS n""", project.id(), event, minute, events, persons);
    }

    @BeforeEach
    void knownDataSet() {
        project = TestDatabase.createProject();
        rollup("Signed Up", "2026-11-30T10:00:00Z", 3, 2);   // p1, p2
        rollup("Signed Up", "2026-11-30T10:01:00Z", 5, 3);   // p1, p2, p3
        rollup("Signed Up", "2026-11-30T11:30:00Z", 2, 1);   // p1
        rollup("Other", "2026-11-30T10:00:00Z", 100, 50);
    }

    private io.restassured.specification.RequestSpecification asReader() {
        return given().header("Authorization", "Bearer " + project.readKey());
    }

    @Test
    void minuteBucketsAreZeroFilledWithTotals() {
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T10:03:00Z").queryParam("interval", "minute")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200)
                .body("series", hasSize(3))
                .body("series.events", contains(3, 5, 0))
                .body("series.persons", contains(2, 3, 0))
                .body("total.events", equalTo(8))
                .body("total.persons", equalTo(3));
    }

    @Test
    void hourBucketsSumTheirMinutesAndUnionTheirPersons() {
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").queryParam("interval", "hour")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200)
                .body("series.time", contains("2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z"))
                .body("series.events", contains(8, 2))
                .body("series.persons", contains(3, 1))
                .body("total.events", equalTo(10));
    }

    @Test
    void dayBucketsFollowTheTimeZone() {
        // Auckland is UTC+13 in summer: 10:00Z and 10:01Z are 23:00 on Nov 30 there, 11:30Z is 00:30 on Dec 1,
        // and the range (Nov 30 13:00 to Dec 2 01:00 there) touches three local days.
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T00:00:00Z")
                .queryParam("to", "2026-12-01T12:00:00Z").queryParam("interval", "day")
                .queryParam("tz", "Pacific/Auckland")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200)
                .body("series.time", contains("2026-11-29T11:00:00Z", "2026-11-30T11:00:00Z",
                        "2026-12-01T11:00:00Z"))
                .body("series.events", contains(8, 2, 0));
    }

    @Test
    void keysAreCheckedAndScopedToTheirProject() {
        String path = "/v1/projects/{id}/insights/trends";
        given().queryParam("event", "Signed Up").get(path, project.id())
                .then().statusCode(401).body("code", equalTo("missing_read_key"));
        given().header("Authorization", "Bearer rk_nobody").queryParam("event", "Signed Up").get(path, project.id())
                .then().statusCode(401).body("code", equalTo("unknown_read_key"));
        given().header("Authorization", "Bearer " + project.writeKey()).queryParam("event", "Signed Up")
                .get(path, project.id())
                .then().statusCode(401);
        TestDatabase.Project other = TestDatabase.createProject();
        given().header("Authorization", "Bearer " + other.readKey()).queryParam("event", "Signed Up")
                .get(path, project.id())
                .then().statusCode(404).body("code", equalTo("project_not_found"));
    }

    @Test
    void badParametersAreNamed() {
        String path = "/v1/projects/{id}/insights/trends";
        asReader().get(path, project.id()).then().statusCode(400).body("field", equalTo("event"));
        asReader().queryParam("event", "E").queryParam("interval", "fortnight").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("interval"));
        asReader().queryParam("event", "E").queryParam("tz", "Mars/Olympus").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("tz"));
        asReader().queryParam("event", "E").queryParam("from", "yesterday").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("from"));
        asReader().queryParam("event", "E").queryParam("from", "2026-12-02T00:00:00Z")
                .queryParam("to", "2026-12-01T00:00:00Z").get(path, project.id())
                .then().statusCode(400).body("code", equalTo("invalid_range"));
        asReader().queryParam("event", "E").queryParam("from", "2020-01-01T00:00:00Z")
                .queryParam("to", "2026-01-01T00:00:00Z").queryParam("interval", "minute").get(path, project.id())
                .then().statusCode(400).body("code", equalTo("too_many_buckets"));
    }

    @Test
    void sqlLookingParametersAreJustNames() {
        asReader().queryParam("event", "Signed Up'; DROP TABLE events; --").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T10:02:00Z")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200).body("total.events", equalTo(0));
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T10:02:00Z")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200).body("total.events", equalTo(8));
    }
}
