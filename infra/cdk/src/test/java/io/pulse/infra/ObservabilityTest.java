package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ObservabilityTest {

    static Template template;

    @BeforeAll
    static void synth() {
        template = Template.fromStack(TestApps.synth(Map.of(
                "liveColour", "blue", "canaryWeight", "10", "blueVersion", "1.0.0", "greenVersion", "1.1.0")));
    }

    @Test
    void theCanaryColourHasA5xxRateAlarmPerPublicService() {
        for (String service : List.of("ingest", "query")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", "pulse-" + service + "-green-5xx",
                    "Threshold", Observability.MAX_5XX_PERCENT,
                    "ComparisonOperator", "GreaterThanThreshold",
                    "TreatMissingData", "notBreaching",
                    "Metrics", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Expression", Match.stringLikeRegexp("errors.*requests"))))))));
        }
    }

    @Test
    void latencyIsWatchedAtP99() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "pulse-ingest-green-latency",
                "MetricName", "TargetResponseTime",
                "ExtendedStatistic", "p99",
                "Threshold", 0.5)));
    }

    @Test
    void consumerLagIsAlarmed() {
        for (String service : List.of("enricher", "aggregator")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", "pulse-" + service + "-lag",
                    "MetricName", "SumOffsetLag",
                    "Threshold", Observability.MAX_LAG)));
        }
    }

    @Test
    void eachColourHasOneRolloutAlarmOverAllOfItsAlarmsAndTheLag() {
        Map<String, Map<String, Object>> composites = template.findResources("AWS::CloudWatch::CompositeAlarm",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of(
                        "AlarmName", "pulse-green-rollout")))));
        assertThat(composites).hasSize(1);
        String rule = composites.values().iterator().next().get("Properties").toString();
        // Each ALARM("...") names an alarm by a reference to it; count them: 2 public x (5xx, latency),
        // 2 consumers x unhealthy, 2 lag alarms.
        assertThat(rule.split("ALARM\\(", -1)).hasSize(8 + 1);
        template.hasResourceProperties("AWS::CloudWatch::CompositeAlarm", Match.objectLike(Map.of(
                "AlarmName", "pulse-blue-rollout")));
    }

    @Test
    void thereIsADashboard() {
        template.hasResourceProperties("AWS::CloudWatch::Dashboard", Match.objectLike(Map.of(
                "DashboardName", "pulse")));
    }
}
