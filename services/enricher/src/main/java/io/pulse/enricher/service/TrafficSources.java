package io.pulse.enricher.service;

import io.pulse.shared.event.Enrichment;
import io.pulse.shared.event.EventContext;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a page view came from: the referrer's domain and channel, and the UTM parameters of the page URL.
 * Hand-written parsing rather than {@link java.net.URI}: browsers send URLs that URI refuses (spaces, bad
 * escapes), and this runs for every event. Nothing here throws for a malformed URL; it just finds less.
 */
@Singleton
public class TrafficSources {

    /** Referrer and UTM parameters of one event; either may be null. */
    public record Source(Enrichment.Referrer referrer, Enrichment.Utm utm) {
        static final Source NONE = new Source(null, null);
    }

    static final String DIRECT = "direct";
    static final String SEARCH = "search";
    static final String SOCIAL = "social";
    static final String EMAIL = "email";
    static final String PAID = "paid";
    static final String REFERRAL = "referral";

    // Ad click ids that ad networks append to landing page URLs.
    private static final Set<String> CLICK_IDS = Set.of(
            "gclid", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "ttclid", "twclid", "li_fat_id");
    private static final Set<String> PAID_MEDIA = Set.of("cpc", "ppc", "cpm", "cpv", "cpa", "display");
    private static final Set<String> EMAIL_MEDIA = Set.of("email", "e-mail", "e_mail", "newsletter");
    // utm_medium of a link without a referrer (apps, shortened links): the only hint left.
    private static final Map<String, String> UNREFERRED_MEDIA = Map.of(
            "social", SOCIAL, "social-media", SOCIAL, "social_media", SOCIAL, "sm", SOCIAL,
            "organic", SEARCH, "referral", REFERRAL);

    // Hosts whose brand says too little (webmail of search companies, short links, Android app referrers).
    private static final Map<String, String> HOSTS = Map.ofEntries(
            Map.entry("mail.google.com", EMAIL), Map.entry("inbox.google.com", EMAIL),
            Map.entry("outlook.live.com", EMAIL), Map.entry("outlook.office.com", EMAIL),
            Map.entry("outlook.office365.com", EMAIL), Map.entry("mail.yahoo.com", EMAIL),
            Map.entry("mail.aol.com", EMAIL), Map.entry("mail.proton.me", EMAIL), Map.entry("mail.yandex.ru", EMAIL),
            Map.entry("e.mail.ru", EMAIL), Map.entry("mail.zoho.com", EMAIL), Map.entry("com.google.android.gm", EMAIL),
            Map.entry("com.microsoft.office.outlook", EMAIL),
            Map.entry("search.brave.com", SEARCH), Map.entry("ya.ru", SEARCH),
            Map.entry("com.google.android.googlequicksearchbox", SEARCH),
            Map.entry("t.co", SOCIAL), Map.entry("lnkd.in", SOCIAL), Map.entry("youtu.be", SOCIAL),
            Map.entry("pin.it", SOCIAL), Map.entry("fb.me", SOCIAL), Map.entry("t.me", SOCIAL),
            Map.entry("news.ycombinator.com", SOCIAL), Map.entry("bsky.app", SOCIAL), Map.entry("mastodon.social", SOCIAL),
            Map.entry("com.linkedin.android", SOCIAL), Map.entry("com.reddit.frontpage", SOCIAL));

    // The registrable name of a host (google in www.google.co.uk) to its channel.
    private static final Map<String, String> BRANDS = Map.ofEntries(
            Map.entry("google", SEARCH), Map.entry("bing", SEARCH), Map.entry("duckduckgo", SEARCH),
            Map.entry("yahoo", SEARCH), Map.entry("baidu", SEARCH), Map.entry("yandex", SEARCH),
            Map.entry("ecosia", SEARCH), Map.entry("qwant", SEARCH), Map.entry("startpage", SEARCH),
            Map.entry("ask", SEARCH), Map.entry("naver", SEARCH), Map.entry("seznam", SEARCH),
            Map.entry("sogou", SEARCH), Map.entry("kagi", SEARCH),
            Map.entry("facebook", SOCIAL), Map.entry("fb", SOCIAL), Map.entry("messenger", SOCIAL),
            Map.entry("instagram", SOCIAL), Map.entry("twitter", SOCIAL), Map.entry("x", SOCIAL),
            Map.entry("linkedin", SOCIAL), Map.entry("reddit", SOCIAL), Map.entry("youtube", SOCIAL),
            Map.entry("tiktok", SOCIAL), Map.entry("pinterest", SOCIAL), Map.entry("tumblr", SOCIAL),
            Map.entry("quora", SOCIAL), Map.entry("snapchat", SOCIAL), Map.entry("threads", SOCIAL),
            Map.entry("vk", SOCIAL), Map.entry("weibo", SOCIAL), Map.entry("whatsapp", SOCIAL),
            Map.entry("telegram", SOCIAL), Map.entry("discord", SOCIAL));

    // Second-level labels under a country code (co.uk, com.au): the brand is the label before them.
    private static final Set<String> COUNTRY_SECOND_LEVELS = Set.of(
            "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gob");

    /** Referrer and UTM of an event with a page; {@link Source#NONE} for server-side events without one. */
    public Source classify(EventContext.Page page) {
        if (page == null) {
            return Source.NONE;
        }
        Campaign campaign = campaign(page);
        String domain = withoutWww(host(page.referrer()));
        String pageDomain = withoutWww(host(page.url()));
        return new Source(new Enrichment.Referrer(domain, channel(campaign, domain, pageDomain)), campaign.utm());
    }

    static String channel(Campaign campaign, String domain, String pageDomain) {
        String medium = campaign.utm() == null || campaign.utm().medium() == null ? ""
                : campaign.utm().medium().toLowerCase(Locale.ROOT);
        if (campaign.clickId() || PAID_MEDIA.contains(medium) || medium.startsWith("paid")) {
            return PAID;
        }
        if (EMAIL_MEDIA.contains(medium)) {
            return EMAIL;
        }
        if (domain == null || sameSite(domain, pageDomain)) {
            return UNREFERRED_MEDIA.getOrDefault(medium, DIRECT);
        }
        for (String host = domain; host != null; host = parent(host)) {
            String channel = HOSTS.get(host);
            if (channel != null) {
                return channel;
            }
        }
        return BRANDS.getOrDefault(brand(domain), REFERRAL);
    }

    /** The UTM parameters of a page (null when it has none) and whether an ad click id came with it. */
    record Campaign(Enrichment.Utm utm, boolean clickId) {
    }

    static Campaign campaign(EventContext.Page page) {
        String query = query(page.url());
        if (query == null && page.search() != null) {
            query = page.search().startsWith("?") ? page.search().substring(1) : page.search();
        }
        if (query == null || query.isEmpty()) {
            return new Campaign(null, false);
        }
        String source = null;
        String medium = null;
        String name = null;
        String term = null;
        String content = null;
        boolean clickId = false;
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int equals = query.indexOf('=', start);
            String key = (equals < 0 || equals > end ? query.substring(start, end)
                    : query.substring(start, equals)).toLowerCase(Locale.ROOT);
            String value = equals < 0 || equals > end ? null : decode(query.substring(equals + 1, end));
            switch (key) {
                case "utm_source" -> source = source != null ? source : value;
                case "utm_medium" -> medium = medium != null ? medium : value;
                case "utm_campaign" -> name = name != null ? name : value;
                case "utm_term" -> term = term != null ? term : value;
                case "utm_content" -> content = content != null ? content : value;
                default -> clickId |= CLICK_IDS.contains(key) && value != null;
            }
            start = end + 1;
        }
        boolean any = source != null || medium != null || name != null || term != null || content != null;
        return new Campaign(any ? new Enrichment.Utm(source, medium, name, term, content) : null, clickId);
    }

    /** The query of a URL without '?' and fragment, or null. */
    static String query(String url) {
        if (url == null) {
            return null;
        }
        int question = url.indexOf('?');
        if (question < 0) {
            return null;
        }
        int hash = url.indexOf('#', question);
        return url.substring(question + 1, hash < 0 ? url.length() : hash);
    }

    /** Lower-case host of a URL (scheme optional), or null when there is none. */
    static String host(String url) {
        if (url == null) {
            return null;
        }
        String text = url.trim();
        int scheme = schemeEnd(text);
        int start = scheme >= 0 ? scheme + 3 : text.startsWith("//") ? 2 : 0;
        int end = start;
        while (end < text.length() && "/?#\\".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        String authority = text.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            authority = close < 0 ? "" : authority.substring(0, close + 1);
        } else if (authority.indexOf(':') >= 0) {
            authority = authority.substring(0, authority.indexOf(':'));
        }
        if (authority.isEmpty() || (scheme < 0 && authority.indexOf('.') < 0)) {
            return null; // a relative path, or a word that is not a host
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '%') {
                return null;
            }
        }
        return authority.toLowerCase(Locale.ROOT);
    }

    /** Index of "://" when what precedes it is a scheme (letters, digits, + - .), else -1. */
    private static int schemeEnd(String text) {
        int index = text.indexOf("://");
        if (index <= 0) {
            return -1;
        }
        for (int i = 0; i < index; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return -1;
            }
        }
        return index;
    }

    static String withoutWww(String host) {
        return host != null && host.startsWith("www.") ? host.substring(4) : host;
    }

    /** Same domain, or one a subdomain of the other (blog.example.com to example.com is internal navigation). */
    static boolean sameSite(String domain, String pageDomain) {
        return pageDomain != null && (domain.equals(pageDomain) || domain.endsWith("." + pageDomain)
                || pageDomain.endsWith("." + domain));
    }

    private static String parent(String host) {
        int dot = host.indexOf('.');
        return dot < 0 || host.indexOf('.', dot + 1) < 0 ? null : host.substring(dot + 1);
    }

    /** google for www.google.com, google.de and google.co.uk. */
    static String brand(String host) {
        String[] labels = host.split("\\.");
        int n = labels.length;
        if (n == 1) {
            return labels[0];
        }
        if (n >= 3 && labels[n - 1].length() == 2 && COUNTRY_SECOND_LEVELS.contains(labels[n - 2])) {
            return labels[n - 3];
        }
        return labels[n - 2];
    }

    private static String decode(String value) {
        String decoded = value;
        if (value.indexOf('%') >= 0 || value.indexOf('+') >= 0) {
            try {
                decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = value; // a stray '%': keep the text as sent
            }
        }
        decoded = decoded.trim();
        return decoded.isEmpty() ? null : decoded;
    }
}
