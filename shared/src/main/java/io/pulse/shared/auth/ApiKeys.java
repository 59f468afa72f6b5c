package io.pulse.shared.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How API keys are stored: the lower-case hex SHA-256 of the key. Keys are long random tokens, so an unsalted
 * fast hash is enough to make a stolen table useless, and it lets a lookup go by the hash alone (no comparison
 * of secrets in application code). bin/pulse computes the same with sha256sum.
 */
public final class ApiKeys {

    private ApiKeys() {
    }

    public static String hash(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
