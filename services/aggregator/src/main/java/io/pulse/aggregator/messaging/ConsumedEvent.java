package io.pulse.aggregator.messaging;

import io.pulse.shared.event.EnrichedEvent;

/**
 * An enriched event as consumed, with the JSON it arrived as. The events table and the Redis streams store that
 * JSON as it is: serializing each event again, twice, was half of the aggregator's CPU (JFR, docs/BENCHMARKS.md).
 *
 * @param json the record's value, UTF-8 decoded
 */
public record ConsumedEvent(EnrichedEvent event, String json) {
}
