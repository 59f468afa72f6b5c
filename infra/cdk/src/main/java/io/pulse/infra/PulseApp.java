package io.pulse.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.Arrays;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/**
 * {@code cdk synth} / {@code cdk deploy} entry point. The app deploys to us-east-1: AWS WAF web ACLs for
 * CloudFront exist only there, and one region avoids cross-region references between an edge stack and the rest.
 * The account comes from the credentials at deploy time; nothing is looked up, so synth works offline.
 */
public final class PulseApp {

    public static final String REGION = "us-east-1";

    private PulseApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        create(app);
        app.synth();
    }

    /** Builds the app's stack and registers the cdk-nag AwsSolutions checks, which fail synth on an error. */
    public static PulseStack create(App app) {
        PulseStack stack = new PulseStack(app, "Pulse", StackProps.builder()
                .env(Environment.builder().region(REGION).build())
                .description("Pulse real-time analytics: VPC, MSK, RDS, ElastiCache, blue/green fleets, CloudFront")
                .terminationProtection(true)
                .build(), settings(app));
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        return stack;
    }

    static PulseStack.Settings settings(App app) {
        return new PulseStack.Settings(
                Arrays.stream(text(app, "availabilityZones", "us-east-1a,us-east-1b,us-east-1c").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList(),
                // com.amazonaws.global.cloudfront.origin-facing in us-east-1
                text(app, "cloudFrontPrefixList", "pl-3b927c52"));
    }

    private static String text(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(Object::toString).toList());
        }
        return value == null ? fallback : value.toString();
    }
}
