package io.pulse.query.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Funnels and retention from raw events written straight into the real PostgreSQL; answers worked by hand. */
@QuarkusTest
class EventInsightsTest {

    private TestDatabase.Project project;

    private void event(String person, String name, String time) {
        event(project.id(), person, name, time, false);
    }

    private static void event(String projectId, String person, String name, String time, boolean bot) {
        TestDatabase.execute("""
                INSERT INTO events (project_id, event_time, message_id, type, event_name, distinct_id, person_id,
                                    bot, received_at, payload)
                VALUES (?, ?::timestamptz, ?, 'track', ?, ?, ?, ?, ?::timestamptz, ?::jsonb)""",
                projectId, time, UUID.randomUUID().toString(), name, person, person, bot, time,
                "{\"event\":{\"type\":\"track\",\"event\":\"" + name + "\",\"timestamp\":\"" + time
                        + "\",\"properties\":{\"plan\":\"pro\"}}}");
    }

    private RequestSpecification asReader() {
        return given().header("Authorization", "Bearer " + project.readKey());
    }

    @BeforeEach
    void project() {
        project = TestDatabase.createProject();
    }

    /**
     * Steps signup → activate → purchase, window 1 h, range 2026-11-30 (UTC):
     * <pre>
     * alice  signup 10:00, activate 10:10, purchase 10:40     all three: 600 s, 1800 s
     * bob    signup 10:00, activate 10:20, purchase 11:30     two: 1200 s (the purchase is 90 min after entry)
     * carol  activate 09:00, signup 12:00, activate 12:05     two: 300 s (the 09:00 activate was before signup)
     * dave   signup 13:00                                      one
     * erin   signup 14:00, activate 14:01 by a bot             one (bots do not count)
     * hank   signup 16:00, activate 16:30, purchase 16:45     all three: 1800 s, 900 s
     * frank  activate, purchase, no signup                     none
     * gina   signup Nov 29 23:50, activate Nov 30 00:05       none (entered before the range)
     * another project's alice: signup, activate, purchase      none (another project)
     * </pre>
     * Step 1: 6 persons. Step 2: alice, bob, carol, hank = 4, median of 300, 600, 1200, 1800 = 900 s.
     * Step 3: alice, hank = 2, median of 1800, 900 = 1350 s. Conversion 1, 4/6, 2/6; from previous 1, 4/6, 2/4.
     */
    @Test
    void funnelCountsPersonsPerStepWithinTheWindow() {
        event("alice", "signup", "2026-11-30T10:00:00Z");
        event("alice", "activate", "2026-11-30T10:10:00Z");
        event("alice", "purchase", "2026-11-30T10:40:00Z");
        event("bob", "signup", "2026-11-30T10:00:00Z");
        event("bob", "activate", "2026-11-30T10:20:00Z");
        event("bob", "purchase", "2026-11-30T11:30:00Z");
        event("carol", "activate", "2026-11-30T09:00:00Z");
        event("carol", "signup", "2026-11-30T12:00:00Z");
        event("carol", "activate", "2026-11-30T12:05:00Z");
        event("dave", "signup", "2026-11-30T13:00:00Z");
        event("erin", "signup", "2026-11-30T14:00:00Z");
        event(project.id(), "erin", "activate", "2026-11-30T14:01:00Z", true);
        event("hank", "signup", "2026-11-30T16:00:00Z");
        event("hank", "activate", "2026-11-30T16:30:00Z");
        event("hank", "purchase", "2026-11-30T16:45:00Z");
        event("frank", "activate", "2026-11-30T10:00:00Z");
        event("frank", "purchase", "2026-11-30T10:01:00Z");
        event("gina", "signup", "2026-11-29T23:50:00Z");
        event("gina", "activate", "2026-11-30T00:05:00Z");
        String other = TestDatabase.createProject().id();
        event(other, "alice", "signup", "2026-11-30T10:00:00Z", false);
        event(other, "alice", "activate", "2026-11-30T10:01:00Z", false);
        event(other, "alice", "purchase", "2026-11-30T10:02:00Z", false);

        asReader().queryParam("steps", "signup,activate,purchase").queryParam("window", "PT1H")
                .queryParam("from", "2026-11-30T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .get("/v1/projects/{id}/insights/funnel", project.id())
                .then().statusCode(200)
                .body("result.event", contains("signup", "activate", "purchase"))
                .body("result.persons", contains(6, 4, 2))
                .body("result.conversion", contains(1.0f, 0.6667f, 0.3333f))
                .body("result.conversionFromPrevious", contains(1.0f, 0.6667f, 0.5f))
                .body("result[0].medianSecondsFromPrevious", nullValue())
                .body("result[1].medianSecondsFromPrevious", equalTo(900.0f))
                .body("result[2].medianSecondsFromPrevious", equalTo(1350.0f));

        // A 2 h window lets bob's purchase (90 min after entry) count too: alice, bob, hank.
        asReader().queryParam("steps", "signup,activate,purchase").queryParam("window", "PT2H")
                .queryParam("from", "2026-11-30T00:00:00Z").queryParam("to", "2026-12-01T00:00:00Z")
                .get("/v1/projects/{id}/insights/funnel", project.id())
                .then().statusCode(200).body("result.persons", contains(6, 4, 3));
    }

    @Test
    void funnelParametersAreChecked() {
        String path = "/v1/projects/{id}/insights/funnel";
        asReader().get(path, project.id()).then().statusCode(400).body("field", equalTo("steps"));
        asReader().queryParam("steps", "one").get(path, project.id()).then().statusCode(400)
                .body("field", equalTo("steps"));
        asReader().queryParam("steps", "a,,b").get(path, project.id()).then().statusCode(400)
                .body("field", equalTo("steps"));
        asReader().queryParam("steps", "a,b").queryParam("window", "an hour").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("window"));
        asReader().queryParam("steps", "a,b").queryParam("from", "2020-01-01T00:00:00Z")
                .queryParam("to", "2026-01-01T00:00:00Z").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("from"));
        // SQL in a step name is a name like any other.
        asReader().queryParam("steps", "signup') OR 1=1; --,activate").get(path, project.id())
                .then().statusCode(200).body("result.persons", contains(0, 0));
    }

    /**
     * Start "signup", return "visit", per UTC day, range Nov 23 to Nov 26 (three cohorts):
     * <pre>
     * a  signup 23 10:00, visit 24, visit 25, visit 26     cohort 23: period 1, period 2 (26 is after the range)
     * b  signup 23 11:00, visit 23 12:00, visit 25         cohort 23: period 2 (the same-day visit is period 0)
     * c  signup 24, visit 25                               cohort 24: period 1
     * d  signup 24, signup 25                              cohort 24 (the first signup), no return
     * e  signup 25 08:00, visit 25 09:00                   cohort 25, no later period in the range
     * f  visit 24 only                                     in no cohort
     * g  signup 26                                         after the range
     * </pre>
     * Triangle: 23 → [2, 1, 2]; 24 → [2, 1]; 25 → [1].
     */
    @Test
    void retentionIsATriangleOfCohortsByDay() {
        event("a", "signup", "2026-11-23T10:00:00Z");
        event("a", "visit", "2026-11-24T10:00:00Z");
        event("a", "visit", "2026-11-25T10:00:00Z");
        event("a", "visit", "2026-11-26T10:00:00Z");
        event("b", "signup", "2026-11-23T11:00:00Z");
        event("b", "visit", "2026-11-23T12:00:00Z");
        event("b", "visit", "2026-11-25T23:59:00Z");
        event("c", "signup", "2026-11-24T01:00:00Z");
        event("c", "visit", "2026-11-25T01:00:00Z");
        event("d", "signup", "2026-11-24T02:00:00Z");
        event("d", "signup", "2026-11-25T02:00:00Z");
        event("e", "signup", "2026-11-25T08:00:00Z");
        event("e", "visit", "2026-11-25T09:00:00Z");
        event("f", "visit", "2026-11-24T09:00:00Z");
        event("g", "signup", "2026-11-26T09:00:00Z");

        asReader().queryParam("start", "signup").queryParam("return", "visit").queryParam("interval", "day")
                .queryParam("from", "2026-11-23T00:00:00Z").queryParam("to", "2026-11-26T00:00:00Z")
                .get("/v1/projects/{id}/insights/retention", project.id())
                .then().statusCode(200)
                .body("cohorts", hasSize(3))
                .body("cohorts.start", contains("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z",
                        "2026-11-25T00:00:00Z"))
                .body("cohorts.persons", contains(2, 2, 1))
                .body("cohorts[0].returned", contains(2, 1, 2))
                .body("cohorts[0].rates", contains(1.0f, 0.5f, 1.0f))
                .body("cohorts[1].returned", contains(2, 1))
                .body("cohorts[2].returned", contains(1));

        // By week (Mondays; Nov 23 2026 is a Monday): g (Nov 26) joins the first cohort, making six; nobody returns a week later.
        asReader().queryParam("start", "signup").queryParam("return", "visit").queryParam("interval", "week")
                .queryParam("from", "2026-11-23T00:00:00Z").queryParam("to", "2026-12-07T00:00:00Z")
                .get("/v1/projects/{id}/insights/retention", project.id())
                .then().statusCode(200)
                .body("cohorts.start", contains("2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z"))
                .body("cohorts[0].returned", contains(6, 0))
                .body("cohorts[1].returned", contains(0));
    }

    @Test
    void retentionParametersAreChecked() {
        String path = "/v1/projects/{id}/insights/retention";
        asReader().get(path, project.id()).then().statusCode(400).body("field", equalTo("start"));
        asReader().queryParam("start", "s").queryParam("interval", "hour").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("interval"));
        asReader().queryParam("start", "s").queryParam("tz", "Nowhere/Land").get(path, project.id())
                .then().statusCode(400).body("field", equalTo("tz"));
    }

    @Test
    void timelineFallsBackToStoredEventsWhenRedisHasNone() {
        event("zoe", "signup", "2026-11-30T10:00:00Z");
        event("zoe", "<script>alert(1)</script>", "2026-11-30T10:05:00Z");
        event("zed", "signup", "2026-11-30T10:06:00Z");
        asReader().get("/v1/projects/{id}/persons/{person}/timeline", project.id(), "zoe")
                .then().statusCode(200)
                .body("source", equalTo("events"))
                .body("events.event", contains("<script>alert(1)</script>", "signup"))
                .body("events[1].properties.plan", equalTo("pro"));
    }
}
