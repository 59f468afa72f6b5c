package io.pulse.enricher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TrafficSourcesTest {

    private final TrafficSources sources = new TrafficSources();

    private TrafficSources.Source classify(String url, String referrer) {
        return sources.classify(new EventContext.Page(url, null, referrer, null, null));
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(nullValues = "none", value = {
        "https://shop.example/, none, direct, none",
        "https://shop.example/, https://www.shop.example/cart, direct, shop.example",
        "https://shop.example/, https://blog.shop.example/post, direct, blog.shop.example",
        "https://shop.example/, https://www.google.com/, search, google.com",
        "https://shop.example/, https://www.google.co.uk/search?q=shoes, search, google.co.uk",
        "https://shop.example/, https://www.bing.com/search?q=x, search, bing.com",
        "https://shop.example/, https://duckduckgo.com/, search, duckduckgo.com",
        "https://shop.example/, https://search.yahoo.co.jp/, search, search.yahoo.co.jp",
        "https://shop.example/, https://yandex.ru/search/, search, yandex.ru",
        "https://shop.example/, https://www.ecosia.org/search?q=x, search, ecosia.org",
        "https://shop.example/, https://www.baidu.com/link?url=x, search, baidu.com",
        "https://shop.example/, android-app://com.google.android.googlequicksearchbox/, search, com.google.android.googlequicksearchbox",
        "https://shop.example/, https://m.facebook.com/, social, m.facebook.com",
        "https://shop.example/, https://t.co/abc123, social, t.co",
        "https://shop.example/, https://x.com/someone/status/1, social, x.com",
        "https://shop.example/, https://www.linkedin.com/feed/, social, linkedin.com",
        "https://shop.example/, https://l.instagram.com/?u=x, social, l.instagram.com",
        "https://shop.example/, https://old.reddit.com/r/java, social, old.reddit.com",
        "https://shop.example/, https://www.youtube.com/watch?v=1, social, youtube.com",
        "https://shop.example/, https://www.tiktok.com/, social, tiktok.com",
        "https://shop.example/, https://pinterest.com/pin/1, social, pinterest.com",
        "https://shop.example/, https://mail.google.com/mail/u/0/, email, mail.google.com",
        "https://shop.example/, https://outlook.live.com/mail/0/, email, outlook.live.com",
        "https://shop.example/, android-app://com.google.android.gm/, email, com.google.android.gm",
        "https://shop.example/, https://news.example.org/article, referral, news.example.org",
        "https://shop.example/, https://www.xkcd.com/, referral, xkcd.com",
        "https://shop.example/?utm_medium=email&utm_source=newsletter, none, email, none",
        "https://shop.example/?utm_medium=cpc&utm_source=google, https://www.google.com/, paid, google.com",
        "https://shop.example/?utm_medium=paid_social, https://facebook.com/, paid, facebook.com",
        "https://shop.example/?gclid=abc, https://www.google.com/, paid, google.com",
        "https://shop.example/?fbclid=IwAR0, https://l.facebook.com/, paid, l.facebook.com",
        "https://shop.example/?msclkid=1, https://www.bing.com/, paid, bing.com",
        "https://shop.example/?utm_medium=social, none, social, none",
    })
    void channels(String url, String referrer, String channel, String domain) {
        assertThat(classify(url, referrer).referrer()).isEqualTo(new Enrichment.Referrer(domain, channel));
    }

    @Test
    void utmParametersAreDecoded() {
        Enrichment.Utm utm = classify("https://shop.example/landing?utm_source=news%20letter&utm_medium=email"
                + "&utm_campaign=spring+sale&utm_term=red%2Fshoes&utm_content=%C3%A9t%C3%A9#top", null).utm();
        assertThat(utm).isEqualTo(new Enrichment.Utm("news letter", "email", "spring sale", "red/shoes", "été"));
    }

    @Test
    void utmParametersFromPageSearchWhenTheUrlHasNone() {
        TrafficSources.Source source = sources.classify(
                new EventContext.Page("https://shop.example/", "/", null, null, "?utm_source=bsky&UTM_MEDIUM=social"));
        assertThat(source.utm()).isEqualTo(new Enrichment.Utm("bsky", "social", null, null, null));
        assertThat(source.referrer().channel()).isEqualTo("social");
    }

    @Test
    void noUtmIsNull() {
        assertThat(classify("https://shop.example/?q=1&page=2", null).utm()).isNull();
        assertThat(classify("https://shop.example/?utm_source=", null).utm()).isNull();
    }

    @Test
    void theFirstOfARepeatedParameterCounts() {
        assertThat(classify("https://s.example/?utm_source=a&utm_source=b", null).utm().source()).isEqualTo("a");
    }

    @Test
    void garbageNeverThrows() {
        String[] garbage = {"", " ", "?", "&&&", "http://", "https://%zz/?utm_source=%zz&utm_medium=%",
            "not a url at all", "javascript:void(0)", "://nohost", "https://[::1/x", "https://user:pw@host:99999/x?",
            "\u0000\u0001", "https://exa mple.com/", "?utm_source=a=b=c&=&utm_medium", "/relative/path?utm_term=x"};
        for (String url : garbage) {
            for (String referrer : garbage) {
                TrafficSources.Source source = classify(url, referrer);
                assertThat(source.referrer()).as(url + " / " + referrer).isNotNull();
            }
        }
        assertThat(classify("https://s.example/?utm_source=%zz", null).utm().source()).isEqualTo("%zz");
        assertThat(classify("https://s.example/?utm_source=a=b=c", null).utm().source()).isEqualTo("a=b=c");
        assertThat(classify("/relative/path?utm_term=x", null).utm().term()).isEqualTo("x");
    }

    @Test
    void hostsAreFoundWithoutAScheme() {
        assertThat(TrafficSources.host("//cdn.example.com/x")).isEqualTo("cdn.example.com");
        assertThat(TrafficSources.host("Google.COM/search")).isEqualTo("google.com");
        assertThat(TrafficSources.host("https://user@Example.com:8443/p")).isEqualTo("example.com");
        assertThat(TrafficSources.host("https://[2001:db8::1]:443/")).isEqualTo("[2001:db8::1]");
        assertThat(TrafficSources.host("relative/path")).isNull();
        assertThat(TrafficSources.host("https://exa mple.com/")).isNull();
        assertThat(TrafficSources.host("example.com/?next=https://other.example/")).isEqualTo("example.com");
    }

    @Test
    void serverSideEventsWithoutAPageHaveNoSource() {
        assertThat(sources.classify(null)).isEqualTo(new TrafficSources.Source(null, null));
    }
}
