package io.pulse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic events, cheap to make: a weighted mix of event names, a few hundred distinct user agents (browsers,
 * versions, systems, some bots), real-looking pages, referrers with UTM tags, and properties of a chosen size.
 * Bodies are built with a StringBuilder from precomputed parts so the generator spends its CPU on sending.
 */
public final class EventMix {

    private static final String[] NAMES = {
        "Page Viewed", "Page Viewed", "Page Viewed", "Page Viewed", "Product Viewed", "Product Viewed",
        "Product Viewed", "Button Clicked", "Button Clicked", "Search Performed", "Product Added",
        "Checkout Started", "Order Completed", "Signed Up", "Logged In"};
    private static final String[] PAGES = {
        "/", "/pricing", "/docs", "/docs/getting-started", "/blog", "/blog/real-time-analytics", "/cart",
        "/checkout", "/signup", "/login", "/products", "/products/shoes", "/products/hats", "/about", "/careers"};
    private static final String[] REFERRERS = {
        "", "", "", "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
        "https://t.co/x1y2z3", "https://www.facebook.com/", "https://news.ycombinator.com/",
        "https://www.reddit.com/r/analytics/", "https://mail.google.com/", "https://partner.example.org/post"};
    private static final String[] UTM = {
        "", "", "", "", "?utm_source=newsletter&utm_medium=email&utm_campaign=december",
        "?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=analytics",
        "?utm_source=twitter&utm_medium=social&utm_campaign=launch"};
    private static final String[] COUNTRIES = {"US", "US", "GB", "DE", "FR", "IN", "BR", "JP", "SE", "CA"};

    private final String[] userAgents;
    private final int persons;
    private final String padding;
    private final SplittableRandom random;

    /**
     * @param persons       distinct user ids (and as many anonymous ids)
     * @param propertyBytes approximate size of the properties object
     */
    public EventMix(int persons, int propertyBytes, long seed) {
        this.userAgents = userAgents().toArray(String[]::new);
        this.persons = persons;
        this.padding = "x".repeat(Math.max(0, propertyBytes - 60));
        this.random = new SplittableRandom(seed);
    }

    /** Browsers x versions x systems, plus crawlers and headless browsers: a few hundred distinct strings. */
    static List<String> userAgents() {
        List<String> agents = new ArrayList<>();
        String[] systems = {
            "Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
            "Linux; Android 14; Pixel 8", "iPhone; CPU iPhone OS 17_5 like Mac OS X", "Linux; Android 13; SM-S911B"};
        for (String system : systems) {
            for (int chrome = 110; chrome <= 131; chrome++) {
                agents.add("Mozilla/5.0 (" + system + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + chrome
                        + ".0.0.0 " + (system.contains("Android") || system.contains("iPhone") ? "Mobile " : "")
                        + "Safari/537.36");
            }
            for (int firefox = 115; firefox <= 132; firefox += 2) {
                agents.add("Mozilla/5.0 (" + system + "; rv:" + firefox + ".0) Gecko/20100101 Firefox/" + firefox
                        + ".0");
            }
        }
        for (int safari = 15; safari <= 18; safari++) {
            agents.add("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    + "Version/" + safari + ".0 Safari/605.1.15");
            agents.add("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
                    + "Gecko) Version/" + safari + ".0 Mobile/15E148 Safari/604.1");
        }
        agents.add("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        agents.add("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)");
        agents.add("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 "
                + "Safari/537.36");
        agents.add("Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)");
        return agents;
    }

    public int distinctUserAgents() {
        return userAgents.length;
    }

    /** One event object, with the given type-specific fields (no trailing newline). */
    public String event(String messageId, String eventName) {
        int person = random.nextInt(persons);
        boolean identified = random.nextInt(3) > 0;
        String page = PAGES[random.nextInt(PAGES.length)];
        StringBuilder json = new StringBuilder(512 + padding.length());
        json.append("{\"type\":\"track\",\"messageId\":\"").append(messageId).append('"');
        if (identified) {
            json.append(",\"userId\":\"user-").append(person).append('"');
        } else {
            json.append(",\"anonymousId\":\"anon-").append(person).append('"');
        }
        json.append(",\"event\":\"").append(eventName != null ? eventName : NAMES[random.nextInt(NAMES.length)])
                .append("\",\"properties\":{\"sku\":\"sku-").append(random.nextInt(500))
                .append("\",\"price\":").append(random.nextInt(10_000) / 100.0)
                .append(",\"currency\":\"USD\",\"note\":\"").append(padding).append("\"}")
                .append(",\"context\":{\"userAgent\":\"").append(userAgents[random.nextInt(userAgents.length)])
                .append("\",\"locale\":\"en-US\",\"page\":{\"path\":\"").append(page)
                .append("\",\"url\":\"https://shop.example").append(page).append(UTM[random.nextInt(UTM.length)])
                .append("\",\"referrer\":\"").append(REFERRERS[random.nextInt(REFERRERS.length)])
                .append("\"},\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.0\"}")
                .append(",\"ip\":\"203.0.").append(random.nextInt(256)).append('.').append(random.nextInt(256))
                .append("\"}}");
        return json.toString();
    }

    public String country() {
        return COUNTRIES[random.nextInt(COUNTRIES.length)];
    }

    /** A /v1/batch body of {@code size} events. */
    public String batch(String runId, long firstSeq, int size) {
        StringBuilder json = new StringBuilder(size * 600);
        json.append("{\"batch\":[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(event(runId + "-" + (firstSeq + i), null));
        }
        return json.append("]}").toString();
    }
}
