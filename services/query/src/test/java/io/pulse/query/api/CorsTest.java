package io.pulse.query.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cross-origin calls: only the origins in pulse.query.cors-origins get CORS headers, with the read key. */
@QuarkusTest
@TestProfile(CorsTest.OneOrigin.class)
class CorsTest {

    static final String DASHBOARD = "https://dashboard.example";

    public static class OneOrigin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pulse.query.cors-origins", DASHBOARD);
        }
    }

    private static Response preflight(String origin, String path) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").options(path);
    }

    @Test
    void aConfiguredOriginGetsCorsHeadersAndAnotherDoesNot() {
        TestDatabase.Project project = TestDatabase.createProject();
        String trends = "/v1/projects/" + project.id() + "/insights/trends";

        Response allowed = preflight(DASHBOARD, trends);
        assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);
        assertThat(allowed.getHeader("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        Response call = given().header("Origin", DASHBOARD).header("Authorization", "Bearer " + project.readKey())
                .queryParam("event", "Signed Up").get(trends);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.getHeader("Access-Control-Allow-Origin")).isEqualTo(DASHBOARD);

        // Another origin, or the configured one's look-alikes: no CORS headers, so a browser withholds the answer.
        for (String origin : new String[] {"https://evil.example", "http://dashboard.example",
                "https://dashboard.example.evil.example"}) {
            assertThat(preflight(origin, trends).getHeader("Access-Control-Allow-Origin")).as(origin).isNull();
            Response other = given().header("Origin", origin).header("Authorization", "Bearer " + project.readKey())
                    .queryParam("event", "Signed Up").get(trends);
            assertThat(other.getHeader("Access-Control-Allow-Origin")).as(origin).isNull();
        }
    }
}
