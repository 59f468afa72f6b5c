package io.pulse.shared;

import io.pulse.shared.event.EnrichedEvent;
import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dimensions an event is rolled up by (aggregator) and broken down by (query), from what the enricher found. Missing values are left out (no
 * "unknown" rows). Values are cut to {@link Limits#MAX_NAME_LENGTH} so a long path cannot bloat the rollups.
 */
public final class Dimensions {

    /** Every dimension the rollups and the query service know, in display order. */
    public static final List<String> ALL = List.of("country", "browser", "os", "device", "path", "referrer",
            "channel", "utm_source", "utm_campaign");

    private Dimensions() {
    }

    public static Map<String, String> of(EnrichedEvent enriched) {
        Map<String, String> dims = new LinkedHashMap<>();
        Enrichment x = enriched.enrichment();
        EventContext context = enriched.event().contextOrEmpty();
        if (x != null) {
            if (x.geo() != null) {
                put(dims, "country", x.geo().country());
            }
            if (x.device() != null) {
                put(dims, "browser", x.device().browser());
                put(dims, "os", x.device().os());
                put(dims, "device", x.device().deviceClass());
            }
            if (x.referrer() != null) {
                put(dims, "referrer", x.referrer().domain());
                put(dims, "channel", x.referrer().channel());
            }
            if (x.utm() != null) {
                put(dims, "utm_source", x.utm().source());
                put(dims, "utm_campaign", x.utm().campaign());
            }
        }
        if (!dims.containsKey("country")) {
            put(dims, "country", context.edgeCountry());
        }
        if (context.page() != null) {
            put(dims, "path", context.page().path());
        }
        return dims;
    }

    private static void put(Map<String, String> dims, String name, String value) {
        if (value != null && !value.isBlank()) {
            dims.put(name, value.length() > Limits.MAX_NAME_LENGTH ? value.substring(0, Limits.MAX_NAME_LENGTH) : value);
        }
    }
}
