package io.pulse.query.storage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pulse.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a replica URL configured, queries read from the replica pool (here the same test database under another
 * application name, so the test can see which connection answered) and key lookups stay on the primary.
 */
@QuarkusTest
@TestProfile(ReadPoolReplicaTest.WithReplica.class)
class ReadPoolReplicaTest {

    public static class WithReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.replica.reactive.url",
                    "postgresql://127.0.0.1:5432/pulse_test?application_name=pulse-query-replica");
        }
    }

    @Inject
    ReadPool readPool;

    @Inject
    Pool primary;

    @Test
    void queriesReadFromTheReplicaWhenItIsConfigured() {
        assertThat(readPool.isReplica()).isTrue();
        assertThat(readPool.get()).isNotSameAs(primary);
        String name = readPool.get().query("SELECT current_setting('application_name') AS n").execute()
                .await().indefinitely().iterator().next().getString("n");
        assertThat(name).isEqualTo("pulse-query-replica");

        TestDatabase.Project project = TestDatabase.createProject();
        TestDatabase.execute("""
                INSERT INTO rollup_event_minute (project_id, event_name, minute, events, persons)
                SELECT ?, 'E', '2026-11-30T10:00:00Z', 4, hll_add_agg(hll_hash_text('p1'), 14)""", project.id());
        given().header("Authorization", "Bearer " + project.readKey()).queryParam("event", "E")
                .queryParam("from", "2026-11-30T10:00:00Z").queryParam("to", "2026-11-30T10:01:00Z")
                .get("/v1/projects/{id}/insights/trends", project.id())
                .then().statusCode(200).body("total.events", equalTo(4));
    }
}
