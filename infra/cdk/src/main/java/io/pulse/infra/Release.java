package io.pulse.infra;

import java.util.Map;
import software.constructs.Node;

/**
 * What a deployment runs, read from CDK context ({@code -c key=value}), so every rollout step is one
 * {@code cdk deploy} with different values (docs/DEPLOY.md):
 * <ul>
 *   <li>{@code liveColour}: blue or green, the colour that takes {@code 100 - canaryWeight} percent;</li>
 *   <li>{@code canaryWeight}: 0..100, the percentage sent to the other colour;</li>
 *   <li>{@code blueVersion}, {@code greenVersion}: the release each colour runs, the folder of
 *       {@code s3://releaseBucket/<version>/pulse-<service>-runner}; empty or {@code none} means the colour has
 *       no instances (not deployed yet, or retired);</li>
 *   <li>{@code releaseBucket}: the bucket CI uploads native binaries to.</li>
 * </ul>
 */
public record Release(Colour live, int canaryWeight, Map<Colour, String> versions, String releaseBucket) {

    public static final String NONE = "none";

    public Release {
        if (canaryWeight < 0 || canaryWeight > 100) {
            throw new IllegalArgumentException("canaryWeight must be 0..100, not " + canaryWeight);
        }
        versions = Map.copyOf(versions);
        if (!hasVersion(versions, live)) {
            throw new IllegalArgumentException("the live colour " + live.id() + " needs a " + live.id() + "Version");
        }
        if (canaryWeight > 0 && !hasVersion(versions, live.other())) {
            throw new IllegalArgumentException("canaryWeight " + canaryWeight + " sends traffic to "
                    + live.other().id() + ", which has no " + live.other().id() + "Version");
        }
        if (releaseBucket == null || releaseBucket.isBlank()) {
            throw new IllegalArgumentException("releaseBucket is empty");
        }
    }

    public static Release fromContext(Node node) {
        return new Release(
                Colour.parse(text(node, "liveColour", "blue")),
                Integer.parseInt(text(node, "canaryWeight", "0").trim()),
                Map.of(Colour.BLUE, text(node, "blueVersion", ""), Colour.GREEN, text(node, "greenVersion", "")),
                text(node, "releaseBucket", ""));
    }

    /** The share of requests (0..100) the listener sends to this colour. */
    public int weight(Colour colour) {
        return colour == live ? 100 - canaryWeight : canaryWeight;
    }

    /** A colour without a version keeps its Auto Scaling groups at zero instances (retired or not yet deployed). */
    public boolean runs(Colour colour) {
        return hasVersion(versions, colour);
    }

    private static boolean hasVersion(Map<Colour, String> versions, Colour colour) {
        String v = versions.getOrDefault(colour, "").trim();
        return !v.isEmpty() && !v.equals(NONE);
    }

    public String version(Colour colour) {
        return versions.getOrDefault(colour, "");
    }

    private static String text(Node node, String key, String fallback) {
        Object value = node.tryGetContext(key);
        return value == null ? fallback : value.toString();
    }
}
