package io.pulse.infra;

import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Pulse on AWS in one stack, read top to bottom: network, data, services, observability, edge.
 * One stack keeps a rollout step to a single {@code cdk deploy}; the stateful resources are retained or
 * snapshotted on delete and RDS has deletion protection.
 */
public class PulseStack extends Stack {

    private final Network network;
    private final Data data;
    private final Services services;
    private final Observability observability;
    private final Edge edge;

    public PulseStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        Release release = Release.fromContext(getNode());
        Bucket accessLogs = accessLogs();
        this.network = new Network(this, "Network", settings.availabilityZones());
        this.data = new Data(this, "Data", network, accessLogs);
        this.services = new Services(this, "Services", release, network, data, accessLogs,
                settings.cloudFrontPrefixList());
        this.observability = new Observability(this, "Observability", services.fleets());
        this.edge = new Edge(this, "Edge", services.loadBalancer(), accessLogs);

        CfnOutput.Builder.create(this, "ApiUrl").description("Pulse API (CloudFront)")
                .value("https://" + edge.distribution().getDistributionDomainName()).build();
        CfnOutput.Builder.create(this, "LiveColour").value(release.live().id()).build();
        CfnOutput.Builder.create(this, "CanaryWeight").value(String.valueOf(release.canaryWeight())).build();
        for (Colour colour : Colour.values()) {
            // The deploy workflow reads these back, so a step changes one value and keeps the others.
            CfnOutput.Builder.create(this, colour.title() + "Version").value(release.runs(colour) ? release.version(colour) : Release.NONE).build();
            CfnOutput.Builder.create(this, colour.title() + "RolloutAlarm")
                    .value(observability.rolloutAlarm(colour).getAlarmName()).build();
        }
    }

    /** Settings that are not part of a release: where the app runs. */
    public record Settings(List<String> availabilityZones, String cloudFrontPrefixList) {
    }

    private Bucket accessLogs() {
        Bucket logs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED) // ALB log delivery supports only SSE-S3
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.OBJECT_WRITER) // CloudFront standard logs are written with ACLs
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire").expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Validations.of(logs).acknowledge(Acknowledgment.builder().id("AwsSolutions-S1")
                .reason("This is the access-log bucket; logging its own access would loop.").build());
        return logs;
    }

    public Network network() { return network; }
    public Data data() { return data; }
    public Services services() { return services; }
    public Observability observability() { return observability; }
    public Edge edge() { return edge; }
}
