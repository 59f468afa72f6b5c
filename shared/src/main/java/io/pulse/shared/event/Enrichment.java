package io.pulse.shared.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the enricher adds to a raw event. Every field may be null when the enricher could not tell.
 *
 * @param personId     identity-resolved id: the userId an anonymous visitor later identified as, else distinctId
 * @param sessionId    session of this distinct id (new after the inactivity timeout)
 * @param sessionStart true on the first event of a session
 * @param bot          robots, crawlers, headless browsers and monitors; counted apart downstream
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Enrichment(
        String personId,
        String sessionId,
        boolean sessionStart,
        boolean bot,
        Device device,
        Geo geo,
        Referrer referrer,
        Utm utm) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Device(String browser, String browserVersion, String os, String deviceClass) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Geo(String country, String region, String city) {
    }

    /** @param channel direct, search, social, email, paid or referral */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Referrer(String domain, String channel) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Utm(String source, String medium, String campaign, String term, String content) {
    }

    /** The enrichment of an event nothing is known about yet: the person is the distinct id. */
    public static Enrichment identityOnly(String personId) {
        return new Enrichment(personId, null, false, false, null, null, null, null);
    }
}
