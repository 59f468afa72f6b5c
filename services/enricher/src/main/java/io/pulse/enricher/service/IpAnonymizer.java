package io.pulse.enricher.service;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 to its /24, IPv6 to its /48: enough for geography, not enough to find a household. */
public final class IpAnonymizer {

    private IpAnonymizer() {
    }

    /** The anonymized address, or null when the input is not an IP literal. Never resolves a name. */
    public static String anonymize(String ip) {
        byte[] bytes = parse(ip);
        if (bytes == null) {
            return null;
        }
        int keep = bytes.length == 4 ? 3 : 6;
        for (int i = keep; i < bytes.length; i++) {
            bytes[i] = 0;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }

    /** The address bytes of an IPv4 or IPv6 literal, or null. */
    static byte[] parse(String ip) {
        if (ip == null) {
            return null;
        }
        String text = ip.trim();
        if (text.indexOf(':') >= 0) {
            try {
                // With a ':' the JDK parses an IPv6 literal or throws; it never does a DNS lookup.
                return InetAddress.getByName(text.startsWith("[") ? text : "[" + text + "]").getAddress();
            } catch (UnknownHostException | RuntimeException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
