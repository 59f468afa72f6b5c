package io.pulse.ingest.service;

import io.pulse.ingest.config.IngestConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the proxy's
 * CF-Connecting-IP or the last untrusted hop of X-Forwarded-For. Headers from anyone else are ignored, or any
 * client could claim any address.
 */
@ApplicationScoped
public class ClientAddress {

    private final Set<String> trustedProxies;

    public ClientAddress(IngestConfig config) {
        this.trustedProxies = Set.copyOf(config.proxy().trusted().orElse(List.of()));
    }

    public String of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        String peerHost = peer == null ? null : peer.hostAddress();
        if (peerHost == null || !trustedProxies.contains(peerHost)) {
            return peerHost;
        }
        String cloudflare = request.getHeader("CF-Connecting-IP");
        if (cloudflare != null && !cloudflare.isBlank()) {
            return cloudflare.trim();
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peerHost;
        }
        // Walk from the right: the nearest hops were added by our proxies; the first untrusted one is the client.
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peerHost;
    }

    /** Country code the CDN in front of us saw (Cloudflare or CloudFront), upper-case, or null. */
    public static String edgeCountry(HttpServerRequest request) {
        String country = request.getHeader("CF-IPCountry");
        if (country == null) {
            country = request.getHeader("CloudFront-Viewer-Country");
        }
        if (country == null || country.length() != 2 || country.equalsIgnoreCase("XX")) {
            return null; // XX: Cloudflare's "unknown"
        }
        return country.toUpperCase(Locale.ROOT);
    }
}
