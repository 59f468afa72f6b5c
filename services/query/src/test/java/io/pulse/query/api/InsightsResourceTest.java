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
        TestDatabase.rollUpHours(project.id());
    }

    /** Dimension rollup of {@code events} events by persons p{first}..p{last} at one minute. */
    private void dimension(String event, String dimension, String value, String minute, int events, int first,
            int last) {
        TestDatabase.execute("""
                INSERT INTO rollup_dimension_minute (project_id, event_name, dimension, value, minute, events, persons)
                SELECT ?, ?, ?, ?, ?::timestamptz, ?, hll_add_agg(hll_hash_text('p' || n), 14)
                  FROM generate_series(?, ?) AS n""", project.id(), event, dimension, value, minute, events, first,
                last);
        TestDatabase.rollUpHours(project.id());
    }

    @BeforeEach
    void knownDataSet() {
        project = TestDatabase.createProject();
        rollup("Signed Up", "2026-11-30T10:00:00Z", 3, 2);   // p1, p2
        rollup("Signed Up", "2026-11-30T10:01:00Z", 5, 3);   // p1, p2, p3
        rollup("Signed Up", "2026-11-30T11:30:00Z", 2, 1);   // p1
        rollup("Other", "2026-11-30T10:00:00Z", 100, 50);
        // Countries of "Signed Up": FR 4 events (p1, p2), DE 2 (p3), US 1 (p4), JP 1 (p5).
        dimension("Signed Up", "country", "FR", "2026-11-30T10:00:00Z", 3, 1, 2);
        dimension("Signed Up", "country", "DE", "2026-11-30T10:00:00Z", 2, 3, 3);
        dimension("Signed Up", "country", "FR", "2026-11-30T10:01:00Z", 1, 1, 1);
        dimension("Signed Up", "country", "US", "2026-11-30T10:01:00Z", 1, 4, 4);
        dimension("Signed Up", "country", "JP", "2026-11-30T10:01:00Z", 1, 5, 5);
        // Paths of two events: /pricing 5 + 2, /docs 4, /home 1.
        dimension("Signed Up", "path", "/pricing", "2026-11-30T10:00:00Z", 5, 1, 3);
        dimension("Other", "path", "/pricing", "2026-11-30T10:01:00Z", 2, 3, 4);
        dimension("Other", "path", "/docs", "2026-11-30T10:01:00Z", 4, 5, 8);
        dimension("Other", "path", "/home", "2026-11-30T10:02:00Z", 1, 9, 9);
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

    /**
     * Whole hours are read from the hour rollups and the range's edges from the minutes. Marking one hour rollup
     * (+1,000 events it does not have in its minutes) shows which source answered each part.
     */
    @Test
    void wholeHoursComeFromHourRollupsAndEdgesFromMinutes() {
        TestDatabase.execute("""
                UPDATE rollup_event_hour SET events = events + 1000
                 WHERE project_id = ? AND event_name = 'Signed Up' AND hour = '2026-11-30T10:00:00Z'""", project.id());
        String path = "/v1/projects/{id}/insights/trends";
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200).body("series.events", contains(1008, 2));
        // 11:00-11:30 is an edge, read from minutes, so the 11:30 minute is outside the range.
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T11:30:00Z").queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200).body("series.events", contains(1008, 0));
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T11:31:00Z").queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200).body("series.events", contains(1008, 2));
        // Minute buckets never read hours; the range's total, which has no buckets, does.
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").queryParam("interval", "minute")
                .get(path, project.id()).then().statusCode(200)
                .body("series.events.sum()", equalTo(10)).body("total.events", equalTo(1010));
        // India is UTC+05:30: an hour of UTC straddles two of its hours, so its buckets come from minutes.
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T00:00:00Z")
                .queryParam("to", "2026-12-01T00:00:00Z").queryParam("interval", "hour")
                .queryParam("tz", "Asia/Kolkata")
                .get(path, project.id()).then().statusCode(200).body("series.events.sum()", equalTo(10));
    }

    /** Day buckets of UTC, and any range's total, are read from day rollups where whole days fit. */
    @Test
    void wholeDaysComeFromDayRollups() {
        TestDatabase.execute("""
                UPDATE rollup_event_day SET events = events + 500
                 WHERE project_id = ? AND event_name = 'Signed Up' AND day = '2026-11-30T00:00:00Z'""", project.id());
        String path = "/v1/projects/{id}/insights/trends";
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-29T00:00:00Z")
                .queryParam("to", "2026-12-01T00:00:00Z").queryParam("interval", "day")
                .get(path, project.id()).then().statusCode(200)
                .body("series.events", contains(0, 510)).body("total.events", equalTo(510));
        // By hour, the buckets are hours (10 events) and the total still the days (510).
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-29T00:00:00Z")
                .queryParam("to", "2026-12-01T00:00:00Z").queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200)
                .body("series.events.sum()", equalTo(10)).body("total.events", equalTo(510))
                .body("total.persons", equalTo(3));
        // Top values too: FR has 4 events in its minutes, and 50 more only in its (marked) day rollup.
        TestDatabase.execute("""
                UPDATE rollup_dimension_day SET events = events + 50
                 WHERE project_id = ? AND dimension = 'country' AND value = 'FR'""", project.id());
        asReader().queryParam("dimension", "country").queryParam("event", "Signed Up")
                .queryParam("from", "2026-11-29T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .get("/v1/projects/{id}/insights/top", project.id()).then().statusCode(200)
                .body("values.value", contains("FR", "DE", "JP", "US")).body("values.events", contains(54, 2, 1, 1))
                .body("values.persons", contains(2, 1, 1, 1));
    }

    @Test
    void topValuesOfAnUnalignedRangeJoinMinutesAndHours() {
        // The hour rollup of FR at 10:00 marked with 100 events its minutes do not have.
        TestDatabase.execute("""
                UPDATE rollup_dimension_hour SET events = events + 100
                 WHERE project_id = ? AND dimension = 'country' AND value = 'FR'""", project.id());
        String path = "/v1/projects/{id}/insights/top";
        // 10:01-12:00: minutes of 10:01-11:00 (FR 1, US 1, JP 1), then the hour 11:00 (no countries).
        asReader().queryParam("dimension", "country").queryParam("event", "Signed Up")
                .queryParam("from", "2026-11-30T10:01:00Z").queryParam("to", "2026-11-30T12:00:00Z")
                .get(path, project.id())
                .then().statusCode(200)
                .body("values.value", contains("FR", "JP", "US"))
                .body("values.events", contains(1, 1, 1));
        // 10:00-12:00: whole hours only, so the marked hour answers.
        asReader().queryParam("dimension", "country").queryParam("event", "Signed Up")
                .queryParam("from", "2026-11-30T10:00:00Z").queryParam("to", "2026-11-30T12:00:00Z")
                .get(path, project.id())
                .then().statusCode(200)
                .body("values.value", contains("FR", "DE", "JP", "US"))
                .body("values.events", contains(104, 2, 1, 1));
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

    @Test
    void breakdownGivesTheTopValuesAndFoldsTheRestIntoOther() {
        // Top 2 of 4 countries by events: FR (4), DE (2); US and JP (1 each) are "other".
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T10:02:00Z").queryParam("interval", "minute")
                .queryParam("breakdown", "country").queryParam("limit", "2")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200)
                .body("series.events", contains(3, 5))
                .body("breakdown.dimension", equalTo("country"))
                .body("breakdown.values.value", contains("FR", "DE", "other"))
                .body("breakdown.values.other", contains(false, false, true))
                .body("breakdown.values[0].series.events", contains(3, 1))
                .body("breakdown.values[0].total.persons", equalTo(2))
                .body("breakdown.values[1].series.events", contains(2, 0))
                .body("breakdown.values[2].series.events", contains(0, 2))
                .body("breakdown.values[2].total.persons", equalTo(2));
        asReader().queryParam("event", "Signed Up").queryParam("breakdown", "shoe_size")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(400).body("field", equalTo("breakdown"));
    }

    @Test
    void topValuesOfOneEventOrOfAll() {
        String path = "/v1/projects/{id}/insights/top";
        asReader().queryParam("dimension", "country").queryParam("event", "Signed Up")
                .queryParam("from", "2026-11-30T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .queryParam("limit", "3").get(path, project.id())
                .then().statusCode(200)
                .body("values.value", contains("FR", "DE", "JP"))
                .body("values.events", contains(4, 2, 1))
                .body("values.persons", contains(2, 1, 1));
        // All events: /pricing 7 (p1..p4), /docs 4 (p5..p8), /home 1 (p9).
        asReader().queryParam("dimension", "path")
                .queryParam("from", "2026-11-30T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .get(path, project.id())
                .then().statusCode(200)
                .body("values.value", contains("/pricing", "/docs", "/home"))
                .body("values.events", contains(7, 4, 1))
                .body("values.persons", contains(4, 4, 1));
        asReader().queryParam("dimension", "country'; DROP TABLE events; --").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("dimension"));
        asReader().get(path, project.id()).then().statusCode(400).body("field", equalTo("dimension"));
        asReader().queryParam("dimension", "path").queryParam("limit", "0").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void closedRangesAreCachedUnlessTheClientAsksForFreshData() {
        String path = "/v1/projects/{id}/insights/trends";
        var closed = asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T11:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").queryParam("interval", "hour");
        closed.get(path, project.id()).then().statusCode(200).body("total.events", equalTo(2));
        rollup("Signed Up", "2026-11-30T11:31:00Z", 40, 1);
        // Same closed range: the cached answer.
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T11:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200).body("total.events", equalTo(2));
        // Cache-Control: no-cache sees the new rollup, and refreshes the cache with it.
        asReader().header("Cache-Control", "no-cache").queryParam("event", "Signed Up")
                .queryParam("from", "2026-11-30T11:00:00Z").queryParam("to", "2026-11-30T12:00:00Z")
                .queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200).body("total.events", equalTo(42));
        asReader().queryParam("event", "Signed Up").queryParam("from", "2026-11-30T11:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").queryParam("interval", "hour")
                .get(path, project.id()).then().statusCode(200).body("total.events", equalTo(42));
    }

    @Test
    void rangesThatIncludeNowAreFreshWithinASecond() throws InterruptedException {
        String path = "/v1/projects/{id}/insights/trends";
        String minute = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        rollup("Now", minute, 1, 1);
        asReader().queryParam("event", "Now").get(path, project.id()).then().statusCode(200)
                .body("total.events", equalTo(1));
        TestDatabase.execute("UPDATE rollup_event_minute SET events = 5 WHERE project_id = ? AND event_name = 'Now'",
                project.id());
        TestDatabase.rollUpHours(project.id());
        Thread.sleep(2100);
        asReader().queryParam("event", "Now").get(path, project.id()).then().statusCode(200)
                .body("total.events", equalTo(5));
    }

    @Test
    void corsIsClosedToOriginsNotConfigured() {
        var response = given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .options("/v1/projects/{id}/insights/trends", project.id());
        org.assertj.core.api.Assertions.assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
    }
}
