package io.pulse.enricher.service;

import io.pulse.enricher.config.EnricherConfig;
import io.pulse.shared.event.Enrichment;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * Browser, version, OS and device class of a user agent string (Yauaa), and whether it is a bot: Yauaa's robot,
 * spy and hacker classes, plus headless browsers and uptime monitors that present themselves as browsers.
 */
@Singleton
@Startup // building the analyzer loads Yauaa's rules (seconds): at startup, not on the first event
public class UserAgentClassifier {

    /** What a user agent string says about the device, and whether a person is behind it. */
    public record Agent(Enrichment.Device device, boolean bot) {
        static final Agent UNKNOWN = new Agent(null, false);
    }

    private static final Set<String> BOT_CLASSES = Set.of(
            "Robot", "Robot Mobile", "Robot Imitator", "Spy", "Hacker", "Cloud Application");

    /**
     * Lower-case substrings of automation that Yauaa reports as a normal browser or as a plain HTTP client:
     * headless browsers and their drivers, synthetic monitoring, command-line and library HTTP clients.
     */
    static final List<String> BOT_MARKERS = List.of(
            "headless", "phantomjs", "slimerjs", "puppeteer", "playwright", "selenium",
            "webdriver", "lighthouse", "pingdom", "uptimerobot", "statuscake",
            "datadogsynthetics", "datadog agent", "site24x7", "newrelicpinger", "gtmetrix", "catchpoint",
            "uptime-kuma", "betteruptime", "checkly", "freshping", "curl/", "wget/", "python-requests",
            "python-urllib", "aiohttp", "go-http-client", "okhttp", "apache-httpclient", "java/", "libwww-perl",
            "node-fetch", "axios/", "postmanruntime", "insomnia/");

    // Yauaa's placeholders for "could not tell": not worth a column value downstream.
    private static final Set<String> UNKNOWN_VALUES = Set.of("Unknown", "??", "");

    private final UserAgentAnalyzer analyzer;

    @Inject
    public UserAgentClassifier(EnricherConfig config) {
        this(config.userAgent().cacheSize());
    }

    public UserAgentClassifier(int cacheSize) {
        this.analyzer = UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .dropTests()
                .withCache(cacheSize)
                .withFields(UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION_MAJOR, UserAgent.AGENT_CLASS,
                        UserAgent.OPERATING_SYSTEM_NAME, UserAgent.DEVICE_CLASS)
                .immediateInitialization()
                .build();
    }

    public Agent classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return Agent.UNKNOWN;
        }
        UserAgent parsed = analyzer.parse(userAgent);
        String deviceClass = known(parsed.getValue(UserAgent.DEVICE_CLASS));
        String agentClass = known(parsed.getValue(UserAgent.AGENT_CLASS));
        // Set.of refuses contains(null), and unknown classes are null here
        boolean bot = (deviceClass != null && BOT_CLASSES.contains(deviceClass))
                || (agentClass != null && BOT_CLASSES.contains(agentClass)) || hasBotMarker(userAgent);
        // Chrome and Edge freeze everything after the major version, so only the major is worth keeping.
        Enrichment.Device device = new Enrichment.Device(known(parsed.getValue(UserAgent.AGENT_NAME)),
                known(parsed.getValue(UserAgent.AGENT_VERSION_MAJOR)),
                known(parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME)), deviceClass);
        return new Agent(device, bot);
    }

    static boolean hasBotMarker(String userAgent) {
        String lower = userAgent.toLowerCase(Locale.ROOT);
        for (String marker : BOT_MARKERS) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static String known(String value) {
        return value == null || UNKNOWN_VALUES.contains(value) ? null : value;
    }
}
