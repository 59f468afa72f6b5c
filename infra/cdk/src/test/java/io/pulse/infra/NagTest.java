package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.assertions.Template;

/**
 * cdk-nag's AwsSolutions pack over the whole app, mid-canary (both colours running). Every rule the app does not
 * follow is acknowledged in code next to the resource, with its reason; anything else fails here.
 */
class NagTest {

    @Test
    void awsSolutionsChecksFindNothingUnacknowledged() {
        PulseStack stack = TestApps.synth(Map.of(
                "liveColour", "blue", "canaryWeight", "10", "blueVersion", "1.0.0", "greenVersion", "1.1.0"));
        Template.fromStack(stack); // synthesizes: L2 constructs add their last resources during synthesis
        PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope((App) stack.getNode().getScope());
        List<String> errors = report.getViolations().stream()
                .filter(v -> "error".equals(v.getSeverity()))
                .map(NagTest::describe).toList();
        List<String> warnings = report.getViolations().stream()
                .filter(v -> !"error".equals(v.getSeverity()))
                .map(NagTest::describe).toList();
        assertThat(errors).as("AwsSolutions errors").isEmpty();
        assertThat(warnings).as("AwsSolutions warnings").isEmpty();
    }

    private static String describe(PolicyViolation v) {
        return v.getRuleName() + " " + v.getViolatingResources().stream()
                .map(r -> r.getResourceLogicalId()).toList() + ": " + v.getDescription();
    }
}
