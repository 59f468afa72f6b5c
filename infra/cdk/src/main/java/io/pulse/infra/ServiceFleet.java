package io.pulse.infra;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.autoscaling.AdjustmentType;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.autoscaling.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.autoscaling.GroupMetrics;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.RollingUpdateOptions;
import software.amazon.awscdk.services.autoscaling.ScalingInterval;
import software.amazon.awscdk.services.autoscaling.UpdatePolicy;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.WeightedTargetGroup;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * One service as two fleets, blue and green: each an Auto Scaling group of instances that run the service's
 * native binary as a systemd unit, in its own target group. The listener rule splits requests between the two
 * target groups by the weights in {@link Release}; a colour without a version has no instances.
 *
 * <p>Consumers (enricher, aggregator) take part in the same Kafka consumer group in both colours, so during a
 * canary the new colour handles the partitions Kafka assigns to its instances; their target groups carry only
 * health checks and the ops listener's metrics requests.
 */
public class ServiceFleet extends Construct {

    static final int MAX_INSTANCES = 12; // 12 partitions per topic: more consumers than that would idle

    private final ServiceSpec spec;
    private final Map<Colour, AutoScalingGroup> groups = new EnumMap<>(Colour.class);
    private final Map<Colour, ApplicationTargetGroup> targets = new EnumMap<>(Colour.class);
    private final Metric lag;

    public ServiceFleet(Construct scope, ServiceSpec spec, Release release, Network network, Data data,
                        ApplicationListener listener) {
        super(scope, spec.title());
        this.spec = spec;
        this.lag = spec.isConsumer() ? lagMetric(spec) : null;
        SecurityGroup sg = SecurityGroup.Builder.create(this, "InstanceSg").vpc(network.vpc())
                .description("Pulse " + spec.name() + " instances").allowAllOutbound(true).build();
        data.allowFrom(sg);
        Role role = instanceRole(release, data);
        List<WeightedTargetGroup> weighted = new ArrayList<>();
        for (Colour colour : Colour.values()) {
            AutoScalingGroup group = group(colour, release, network, data, sg, role);
            ApplicationTargetGroup tg = ApplicationTargetGroup.Builder.create(this, colour.title() + "Targets")
                    .vpc(network.vpc())
                    .port(spec.port()).protocol(ApplicationProtocol.HTTP)
                    .targets(List.of(group))
                    .healthCheck(HealthCheck.builder().path("/q/health/ready").healthyHttpCodes("200")
                            .interval(Duration.seconds(10)).healthyThresholdCount(2).unhealthyThresholdCount(3)
                            .build())
                    .deregistrationDelay(Duration.seconds(30))
                    .build();
            groups.put(colour, group);
            targets.put(colour, tg);
            weighted.add(WeightedTargetGroup.builder().targetGroup(tg).weight(release.weight(colour)).build());
        }
        ApplicationListenerRule.Builder.create(this, "Route")
                .listener(listener)
                .priority(spec.rulePriority())
                .conditions(List.of(spec.isPublic()
                        ? ListenerCondition.pathPatterns(spec.publicPaths())
                        : ListenerCondition.hostHeaders(List.of(spec.name() + ".ops"))))
                .action(ListenerAction.weightedForward(weighted))
                .build();
    }

    private AutoScalingGroup group(Colour colour, Release release, Network network, Data data, SecurityGroup sg,
                                   Role role) {
        boolean runs = release.runs(colour);
        LaunchTemplate template = LaunchTemplate.Builder.create(this, colour.title() + "Template")
                .machineImage(MachineImage.latestAmazonLinux2023()) // SSM parameter, resolved at deploy time
                .instanceType(InstanceType.of(InstanceClass.C7I, InstanceSize.LARGE))
                .role(role)
                .securityGroup(sg)
                .userData(userData(colour, release, data))
                .requireImdsv2(true)
                .detailedMonitoring(true)
                .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(20, EbsDeviceOptions.builder()
                                .encrypted(true).volumeType(EbsDeviceVolumeType.GP3).build()))
                        .build()))
                .build();
        AutoScalingGroup group = AutoScalingGroup.Builder.create(this, colour.title() + "Group")
                .vpc(network.vpc())
                .vpcSubnets(network.serviceSubnets())
                .launchTemplate(template)
                .minCapacity(runs ? 2 : 0) // two zones at least while it serves; none once retired
                .maxCapacity(runs ? MAX_INSTANCES : 0)
                .healthChecks(HealthChecks.withAdditionalChecks(AdditionalHealthChecksOptions.builder()
                        .additionalTypes(List.of(AdditionalHealthCheckType.ELB))
                        .gracePeriod(Duration.minutes(2)).build()))
                // A new version replaces instances two at a time, each ready before the next pair goes.
                .updatePolicy(UpdatePolicy.rollingUpdate(RollingUpdateOptions.builder()
                        .maxBatchSize(2).minInstancesInService(runs ? 2 : 0).build()))
                .groupMetrics(List.of(GroupMetrics.all()))
                .build();
        group.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
                .targetUtilizationPercent(60).build());
        if (lag != null) {
            // Lag is the consumer group's, shared by both colours: both add instances when it grows.
            group.scaleOnMetric("KafkaLag", BasicStepScalingPolicyProps.builder()
                    .metric(lag)
                    .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                    .evaluationPeriods(3)
                    .scalingSteps(List.of(
                            ScalingInterval.builder().upper(1_000).change(-1).build(),
                            ScalingInterval.builder().lower(20_000).change(1).build(),
                            ScalingInterval.builder().lower(200_000).change(3).build()))
                    .build());
        }
        Validations.of(group).acknowledge(Acknowledgment.builder().id("AwsSolutions-AS3")
                .reason("Scaling events are watched through the alarms and the dashboard, not notifications.")
                .build());
        return group;
    }

    private Role instanceRole(Release release, Data data) {
        Role role = Role.Builder.create(this, "InstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Pulse " + spec.name() + ": read its binary, Kafka brokers and secrets; SSM access")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        String binaries = "arn:" + Stack.of(this).getPartition() + ":s3:::" + release.releaseBucket()
                + "/*/" + binary();
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("s3:GetObject"))
                .resources(List.of(binaries)).build());
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("kafka:GetBootstrapBrokers"))
                .resources(List.of(data.kafka().getAttrArn())).build());
        data.databaseSecret().grantRead(role);
        data.redisToken().grantRead(role);
        Validations.of(role).acknowledge(Acknowledgment.builder().id("AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]")
                .reason("Session Manager instead of SSH: the AWS-maintained policy is the documented minimum.")
                .build());
        Validations.of(role).acknowledge(Acknowledgment.builder().id("AwsSolutions-IAM5[Resource::" + binaries + "]")
                .reason("Any release folder, but only this service's binary: the version changes every release.")
                .build());
        return role;
    }

    private UserData userData(Colour colour, Release release, Data data) {
        String region = Stack.of(this).getRegion();
        String name = spec.name();
        // The query service only reads: it uses the read replica and leaves the primary to the writers.
        String dbHost = name.equals("query")
                ? data.readReplica().getDbInstanceEndpointAddress()
                : data.database().getDbInstanceEndpointAddress();
        UserData ud = UserData.forLinux();
        ud.addCommands(
                "# Pulse " + name + " " + release.version(colour) + " (" + colour.id() + "): native binary as a systemd unit",
                "set -euo pipefail",
                "dnf install -y -q jq",
                "install -d -m 755 /opt/pulse /etc/pulse",
                "aws s3 cp --only-show-errors s3://" + release.releaseBucket() + "/" + release.version(colour) + "/"
                        + binary() + " /opt/pulse/" + binary(),
                "chmod 755 /opt/pulse/" + binary(),
                "id pulse >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin pulse",
                "kafka=$(aws kafka get-bootstrap-brokers --region " + region + " --cluster-arn "
                        + data.kafka().getAttrArn() + " --query BootstrapBrokerStringTls --output text)",
                "db_password=$(aws secretsmanager get-secret-value --region " + region + " --secret-id "
                        + data.databaseSecret().getSecretArn() + " --query SecretString --output text | jq -r .password)",
                "redis_token=$(aws secretsmanager get-secret-value --region " + region + " --secret-id "
                        + data.redisToken().getSecretArn() + " --query SecretString --output text)",
                "umask 027",
                "cat > /etc/pulse/" + name + ".env <<EOF",
                "QUARKUS_HTTP_PORT=" + spec.port(),
                "QUARKUS_HTTP_HOST=0.0.0.0",
                "KAFKA_BOOTSTRAP_SERVERS=$kafka",
                "KAFKA_SECURITY_PROTOCOL=SSL",
                "QUARKUS_DATASOURCE_USERNAME=pulse",
                "QUARKUS_DATASOURCE_PASSWORD=$db_password",
                "QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://" + dbHost + ":" + Data.POSTGRES_PORT + "/pulse?sslmode=require",
                "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://" + dbHost + ":" + Data.POSTGRES_PORT + "/pulse?sslmode=require",
                "QUARKUS_REDIS_HOSTS=rediss://:$redis_token@" + data.redis().getAttrPrimaryEndPointAddress() + ":"
                        + Data.REDIS_PORT,
                "PULSE_COLOUR=" + colour.id(),
                "PULSE_VERSION=" + release.version(colour),
                "EOF",
                "chgrp pulse /etc/pulse/" + name + ".env",
                "cat > /etc/systemd/system/pulse-" + name + ".service <<'EOF'",
                "[Unit]",
                "Description=Pulse " + name,
                "After=network-online.target",
                "Wants=network-online.target",
                "[Service]",
                "User=pulse",
                "EnvironmentFile=/etc/pulse/" + name + ".env",
                "ExecStart=/opt/pulse/" + binary(),
                "Restart=always",
                "RestartSec=2",
                "LimitNOFILE=65536",
                "NoNewPrivileges=true",
                "ProtectSystem=strict",
                "ProtectHome=true",
                "PrivateTmp=true",
                "[Install]",
                "WantedBy=multi-user.target",
                "EOF",
                "systemctl daemon-reload",
                "systemctl enable --now pulse-" + name);
        return ud;
    }

    private static Metric lagMetric(ServiceSpec spec) {
        // MSK publishes consumer lag per group and topic (the dimension names have spaces).
        return Metric.Builder.create()
                .namespace("AWS/Kafka")
                .metricName("SumOffsetLag")
                .dimensionsMap(Map.of(
                        "Cluster Name", Data.KAFKA_CLUSTER_NAME,
                        "Consumer Group", spec.consumerGroup(),
                        "Topic", spec.topic()))
                .statistic("Maximum")
                .period(Duration.minutes(1))
                .build();
    }

    /** The native executable's name in the release folder and on the instance. */
    public String binary() {
        return "pulse-" + spec.name() + "-runner";
    }

    public ServiceSpec spec() { return spec; }
    public AutoScalingGroup group(Colour colour) { return groups.get(colour); }
    public ApplicationTargetGroup targets(Colour colour) { return targets.get(colour); }
    /** The consumer group's lag, or null for a service that consumes nothing. */
    public Metric lag() { return lag; }
}
