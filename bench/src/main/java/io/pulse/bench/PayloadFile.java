package io.pulse.bench;

import io.pulse.shared.codec.EventJson;
import io.pulse.shared.event.RawEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes the records ingest would put on pulse.events.raw for the generator's events, one per line: the
 * payload file for Kafka's own producer benchmark, so the reference limit is measured on the same bytes (random
 * bytes compress differently and mislead).
 */
final class PayloadFile {

    private PayloadFile() {
    }

    static void write(Path file, long count, LoadGenerator.Options options) throws IOException {
        EventMix mix = new EventMix(options.persons, options.propertyBytes, options.seed);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < Math.max(1, count); i++) {
                ObjectNode sent = (ObjectNode) EventJson.MAPPER.readTree(mix.event(UUID.randomUUID().toString(), null));
                RawEvent event = EventJson.fromTree(sent, RawEvent.class);
                Instant now = Instant.now();
                RawEvent stamped = new RawEvent(RawEvent.CONTRACT_VERSION, event.type(), event.messageId(),
                        "bench", event.userId(), event.anonymousId(), event.event(), null, null, null,
                        event.properties(), null, event.contextOrEmpty().withEdgeCountry(mix.country()), now, null,
                        null, now);
                out.write(new String(EventJson.toBytes(stamped), StandardCharsets.UTF_8));
                out.newLine();
            }
        }
        System.out.println("payloads: " + count + " records in " + file);
    }

}
