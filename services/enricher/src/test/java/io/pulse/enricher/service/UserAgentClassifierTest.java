package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.event.Enrichment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserAgentClassifierTest {

    // One analyzer for the class: building it takes seconds, as it does once at the service's startup.
    private static UserAgentClassifier classifier;

    @BeforeAll
    static void buildOnce() {
        classifier = new UserAgentClassifier(1000);
    }

    @Test
    void desktopChromeOnWindows() {
        UserAgentClassifier.Agent agent = classifier.classify("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
                + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36");
        assertThat(agent.bot()).isFalse();
        assertThat(agent.device()).isEqualTo(new Enrichment.Device("Chrome", "124", "Windows NT", "Desktop"));
    }

    @Test
    void safariOnAnIphone() {
        UserAgentClassifier.Agent agent = classifier.classify("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
                + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1");
        assertThat(agent.bot()).isFalse();
        assertThat(agent.device()).isEqualTo(new Enrichment.Device("Safari", "17", "iOS", "Phone"));
    }

    @Test
    void firefoxOnAnAndroidTablet() {
        UserAgentClassifier.Agent agent = classifier.classify(
                "Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0");
        assertThat(agent.bot()).isFalse();
        assertThat(agent.device()).isEqualTo(new Enrichment.Device("Firefox", "125", "Android", "Tablet"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "HeadlessChrome/124.0.6367.60 Safari/537.36",
        "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
                + "Safari/537.36 StatusCake",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 "
                + "DatadogSynthetics",
        "curl/8.5.0",
        "python-requests/2.31.0",
    })
    void robotsCrawlersHeadlessBrowsersAndMonitorsAreBots(String userAgent) {
        assertThat(classifier.classify(userAgent).bot()).as(userAgent).isTrue();
    }

    @Test
    void aUserAgentYauaaCannotPlaceIsNeitherAnErrorNorABot() {
        UserAgentClassifier.Agent agent = classifier.classify("Mozilla/5.0");
        assertThat(agent.bot()).isFalse();
        assertThat(classifier.classify("\u0000garbage\uFFFF (;;").device()).isNotNull();
    }

    @Test
    void noUserAgentTellsNothing() {
        assertThat(classifier.classify(null)).isEqualTo(new UserAgentClassifier.Agent(null, false));
        assertThat(classifier.classify(" ").device()).isNull();
    }

    @Test
    void aRepeatedUserAgentIsServedFromTheCache() {
        String chrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/123.0.0.0 Safari/537.36";
        classifier.classify(chrome);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            classifier.classify(chrome);
        }
        long perCall = (System.nanoTime() - start) / 10_000;
        assertThat(perCall).as("nanoseconds per cached classification").isLessThan(50_000);
    }
}
