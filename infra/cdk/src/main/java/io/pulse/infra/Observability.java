package io.pulse.infra;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmRule;
import software.amazon.awscdk.services.cloudwatch.AlarmState;
import software.amazon.awscdk.services.cloudwatch.IAlarmRule;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CompositeAlarm;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.constructs.Construct;

/**
 * Alarms a rollout watches and the dashboard people watch. Per service and colour: the 5xx rate and p99 latency
 * of its target group (ingest, query) or unhealthy instances (consumers); per consumer group: Kafka lag. Each
 * colour's alarms roll up into one composite alarm, {@code pulse-<colour>-rollout}: the deploy workflow shifts
 * traffic only while the canary colour's composite alarm is OK and shifts it back when it fires.
 */
public class Observability extends Construct {

    static final double MAX_5XX_PERCENT = 1.0;
    static final double MAX_LAG = 50_000;
    private static final Duration PERIOD = Duration.minutes(1);

    private final Map<Colour, CompositeAlarm> rollout = new EnumMap<>(Colour.class);

    public Observability(Construct scope, String id, List<ServiceFleet> fleets) {
        super(scope, id);
        Map<Colour, List<IAlarm>> byColour = new EnumMap<>(Colour.class);
        List<IAlarm> lagAlarms = new ArrayList<>();
        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName("pulse").build();
        for (ServiceFleet fleet : fleets) {
            ServiceSpec spec = fleet.spec();
            for (Colour colour : Colour.values()) {
                ApplicationTargetGroup tg = fleet.targets(colour);
                String prefix = "pulse-" + spec.name() + "-" + colour.id();
                List<IAlarm> alarms = byColour.computeIfAbsent(colour, c -> new ArrayList<>());
                if (spec.isPublic()) {
                    alarms.add(alarm(prefix + "-5xx", errorRate(tg), MAX_5XX_PERCENT,
                            spec.name() + " " + colour.id() + ": more than 1% of requests answered 5xx"));
                    double latency = spec.name().equals("ingest") ? 0.5 : 1.0;
                    alarms.add(alarm(prefix + "-latency", tg.getMetrics().targetResponseTime(p99()), latency,
                            spec.name() + " " + colour.id() + ": p99 latency above " + latency + " s"));
                } else {
                    alarms.add(alarm(prefix + "-unhealthy", tg.getMetrics().unhealthyHostCount(max()), 0,
                            spec.name() + " " + colour.id() + ": an instance fails its readiness check"));
                }
            }
            if (fleet.lag() != null) {
                lagAlarms.add(alarm("pulse-" + spec.name() + "-lag", fleet.lag(), MAX_LAG,
                        spec.name() + ": consumer group " + spec.consumerGroup() + " is more than "
                                + (long) MAX_LAG + " records behind on " + spec.topic()));
            }
            dashboard.addWidgets(widgets(fleet).toArray(new GraphWidget[0]));
        }
        for (Colour colour : Colour.values()) {
            List<IAlarm> watched = new ArrayList<>(byColour.get(colour));
            watched.addAll(lagAlarms); // lag belongs to both colours: a bad canary shows up as lag for all
            CompositeAlarm composite = CompositeAlarm.Builder.create(this, colour.title() + "Rollout")
                    .compositeAlarmName("pulse-" + colour.id() + "-rollout")
                    .alarmDescription("Any alarm of the " + colour.id() + " fleets: a rollout to " + colour.id()
                            + " stops and shifts traffic back")
                    .alarmRule(AlarmRule.anyOf(watched.stream().map(a -> AlarmRule.fromAlarm(a, AlarmState.ALARM)).toArray(IAlarmRule[]::new)))
                    .build();
            rollout.put(colour, composite);
        }
        dashboard.addWidgets(AlarmStatusWidget.Builder.create().title("Rollout alarms").width(24)
                .alarms(List.of(rollout.get(Colour.BLUE), rollout.get(Colour.GREEN))).build());
    }

    private Alarm alarm(String name, IMetric metric, double threshold, String description) {
        return Alarm.Builder.create(this, name)
                .alarmName(name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(3)
                .datapointsToAlarm(2)
                // No data means no traffic or no instances (a retired colour): that is not a failure.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private static MathExpression errorRate(ApplicationTargetGroup tg) {
        return MathExpression.Builder.create()
                .expression("IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)")
                .usingMetrics(Map.of(
                        "errors", tg.getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum()),
                        "requests", tg.getMetrics().requestCount(sum())))
                .label("5xx %")
                .period(PERIOD)
                .build();
    }

    private List<GraphWidget> widgets(ServiceFleet fleet) {
        List<IMetric> requests = new ArrayList<>();
        List<IMetric> latency = new ArrayList<>();
        List<IMetric> cpu = new ArrayList<>();
        for (Colour colour : Colour.values()) {
            ApplicationTargetGroup tg = fleet.targets(colour);
            requests.add(tg.getMetrics().requestCount(options("Sum", colour.id())));
            latency.add(tg.getMetrics().targetResponseTime(options("p99", colour.id() + " p99")));
            cpu.add(Metric.Builder.create().namespace("AWS/EC2").metricName("CPUUtilization")
                    .dimensionsMap(Map.of("AutoScalingGroupName", fleet.group(colour).getAutoScalingGroupName()))
                    .statistic("Average").period(PERIOD).label(colour.id()).build());
        }
        String name = fleet.spec().name();
        List<GraphWidget> widgets = new ArrayList<>(List.of(
                graph(name + " requests", requests), graph(name + " latency", latency), graph(name + " CPU %", cpu)));
        if (fleet.lag() != null) {
            widgets.add(graph(name + " Kafka lag", List.of(fleet.lag())));
        }
        return widgets;
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(6).build();
    }

    private static MetricOptions sum() {
        return options("Sum", null);
    }

    private static MetricOptions max() {
        return options("Maximum", null);
    }

    private static MetricOptions p99() {
        return options("p99", null);
    }

    private static MetricOptions options(String statistic, String label) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).label(label).build();
    }

    public CompositeAlarm rolloutAlarm(Colour colour) {
        return rollout.get(colour);
    }
}
