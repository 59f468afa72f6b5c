package io.pulse.aggregator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.pulse.shared.Topics;
import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventType;
import io.pulse.shared.event.RawEvent;
import io.pulse.testing.TestDatabase;
import io.pulse.testing.TestKafka;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged aggregator (the JVM jar in bin/pulse test, the native binary in the native workflow): enriched
 * records from the real topic into the real PostgreSQL, poison records to the dead-letter topic.
 */
@QuarkusIntegrationTest
class EnrichedEventConsumerIT {

    private final String project = "ai-" + UUID.randomUUID().toString().substring(0, 12);

    private EnrichedEvent event(String person, String name) {
        Instant now = Instant.now();
        RawEvent raw = new RawEvent(1, EventType.TRACK, UUID.randomUUID().toString(), project, person, null, name,
                null, null, null, null, null, null, now, now, now, now);
        return new EnrichedEvent(raw, new Enrichment(person, null, false, false, null, null, null, null));
    }

    private long stored(String name) {
        return TestDatabase.queryLong("SELECT count(*) FROM events WHERE project_id = ? AND event_name = ?",
                project, name);
    }

    private long rolledUp(String name) {
        return TestDatabase.queryLong(
                "SELECT coalesce(sum(events), 0) FROM rollup_event_minute WHERE project_id = ? AND event_name = ?",
                project, name);
    }

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void eventsAreStoredAndRolledUp() {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EnrichedEvent e = event("p" + (i % 4), "Viewed");
            records.add(Map.entry(e.key(), EventJson.toBytes(e)));
        }
        TestKafka.send(Topics.ENRICHED, records);

        await().atMost(Duration.ofSeconds(30)).until(() -> stored("Viewed") == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> rolledUp("Viewed") == 20);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextOneStored() {
        TestKafka.Mark dlq = TestKafka.mark(Topics.DLQ);
        EnrichedEvent good = event("dora", "AfterPoison");
        String poison = "{\"event\": {\"projectId\":\"" + project + "\"}, broken";
        TestKafka.send(Topics.ENRICHED, List.of(
                Map.entry(good.key(), poison.getBytes(StandardCharsets.UTF_8)),
                Map.entry(good.key(), EventJson.toBytes(good))));

        await().atMost(Duration.ofSeconds(30)).until(() -> stored("AfterPoison") == 1);
        assertThat(TestKafka.read(dlq, r -> r.value().contains(project), 1, Duration.ofSeconds(10))).hasSize(1);
    }
}
