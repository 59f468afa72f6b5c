package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Two rollout steps: a 10% canary of green while blue is live, then green live with blue retired. */
class ServicesTest {

    static Template canary;
    static Template greenLive;

    @BeforeAll
    static void synth() {
        canary = Template.fromStack(TestApps.synth(Map.of(
                "liveColour", "blue", "canaryWeight", "10", "blueVersion", "1.0.0", "greenVersion", "1.1.0")));
        greenLive = Template.fromStack(TestApps.synth(Map.of(
                "liveColour", "green", "canaryWeight", "0", "blueVersion", "none", "greenVersion", "1.1.0")));
    }

    @Test
    void eachServiceHasABlueAndAGreenGroupAndTargetGroup() {
        canary.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 8);
        canary.resourceCountIs("AWS::EC2::LaunchTemplate", 8);
        canary.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 8);
        canary.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "Port", 8081, "HealthCheckPath", "/q/health/ready")));
    }

    @Test
    void listenerWeightsFollowTheCanaryWeight() {
        assertThat(weights(canary, "/v1/*")).containsExactly(90, 10);
        assertThat(weights(canary, "/v1/projects/*")).containsExactly(90, 10);
        assertThat(weights(greenLive, "/v1/*")).containsExactly(0, 100);
    }

    @Test
    void theNarrowerQueryPathIsMatchedBeforeIngest() {
        canary.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
                "Priority", 10, "Conditions", List.of(Match.objectLike(Map.of(
                        "PathPatternConfig", Map.of("Values", List.of("/v1/projects/*"))))))));
        canary.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
                "Priority", 20)));
    }

    @Test
    void aRetiredColourHasNoInstancesAndARunningOneAtLeastTwo() {
        assertThat(capacities(canary)).containsOnly("2-12");
        assertThat(capacities(greenLive)).containsExactlyInAnyOrder(
                "0-0", "0-0", "0-0", "0-0", "2-12", "2-12", "2-12", "2-12");
    }

    @Test
    void userDataInstallsTheColoursNativeBinaryAsASystemdUnit() {
        String userData = canary.toJSON().toString();
        assertThat(userData)
                .contains("s3://pulse-releases/1.1.0/pulse-ingest-runner")
                .contains("s3://pulse-releases/1.0.0/pulse-aggregator-runner")
                .contains("/etc/systemd/system/pulse-enricher.service")
                .contains("systemctl enable --now pulse-query");
        canary.hasResourceProperties("AWS::EC2::LaunchTemplate", Match.objectLike(Map.of(
                "LaunchTemplateData", Match.objectLike(Map.of(
                        "MetadataOptions", Map.of("HttpTokens", "required"))))));
    }

    @Test
    void everyGroupScalesOnCpu() {
        canary.resourcePropertiesCountIs("AWS::AutoScaling::ScalingPolicy", Match.objectLike(Map.of(
                "PolicyType", "TargetTrackingScaling",
                "TargetTrackingConfiguration", Match.objectLike(Map.of(
                        "PredefinedMetricSpecification",
                        Map.of("PredefinedMetricType", "ASGAverageCPUUtilization"),
                        "TargetValue", 60)))), 8);
    }

    @Test
    void consumersScaleOnTheirKafkaLag() {
        canary.resourcePropertiesCountIs("AWS::AutoScaling::ScalingPolicy", Match.objectLike(Map.of(
                "PolicyType", "StepScaling", "AdjustmentType", "ChangeInCapacity")), 8); // up and down, 4 groups
        for (String[] groupAndTopic : List.of(new String[] {"pulse-enricher", "pulse.events.raw"},
                new String[] {"pulse-aggregator", "pulse.events.enriched"})) {
            canary.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/Kafka",
                    "MetricName", "SumOffsetLag",
                    "Dimensions", Match.arrayWith(List.of(
                            Map.of("Name", "Cluster Name", "Value", "pulse"),
                            Map.of("Name", "Consumer Group", "Value", groupAndTopic[0]),
                            Map.of("Name", "Topic", "Value", groupAndTopic[1]))),
                    "AlarmActions", Match.anyValue())));
        }
    }

    @Test
    void theLoadBalancerTakesTheEdgePortOnlyFromCloudFront() {
        canary.resourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", 80)), 1);
        canary.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", 80, "SourcePrefixListId", "pl-3b927c52")));
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> weights(Template template, String path) {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::ElasticLoadBalancingV2::ListenerRule",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Conditions", List.of(Match.objectLike(
                        Map.of("PathPatternConfig", Map.of("Values", List.of(path))))))))));
        assertThat(rules).hasSize(1);
        Map<String, Object> props = (Map<String, Object>) rules.values().iterator().next().get("Properties");
        Map<String, Object> action = ((List<Map<String, Object>>) props.get("Actions")).get(0);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) action
                .get("ForwardConfig")).get("TargetGroups");
        // Blue's target group is declared first in every fleet.
        return groups.stream().map(g -> ((Number) g.get("Weight")).intValue()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> capacities(Template template) {
        return template.findResources("AWS::AutoScaling::AutoScalingGroup").values().stream()
                .map(r -> (Map<String, Object>) r.get("Properties"))
                .map(p -> p.get("MinSize") + "-" + p.get("MaxSize"))
                .toList();
    }
}
