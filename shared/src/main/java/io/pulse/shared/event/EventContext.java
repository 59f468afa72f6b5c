package io.pulse.shared.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The part of Segment's {@code context} object that Pulse uses. Unknown context fields are ignored.
 *
 * @param edgeCountry ISO country code from the edge (CF-IPCountry, CloudFront-Viewer-Country), set by ingest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventContext(
        String ip,
        String userAgent,
        Page page,
        String locale,
        String timezone,
        Library library,
        String edgeCountry) {

    public static final EventContext EMPTY = new EventContext(null, null, null, null, null, null, null);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(String url, String path, String referrer, String title, String search) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Library(String name, String version) {
    }

    public EventContext withIp(String newIp) {
        return new EventContext(newIp, userAgent, page, locale, timezone, library, edgeCountry);
    }

    public EventContext withEdgeCountry(String country) {
        return new EventContext(ip, userAgent, page, locale, timezone, library, country);
    }
}
