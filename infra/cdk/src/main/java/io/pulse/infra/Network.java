package io.pulse.infra;

import java.util.List;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * The VPC: three availability zones, each with a public subnet (ALB, NAT), a private subnet for the services
 * (egress through NAT for S3, SSM and the AWS APIs) and an isolated subnet for MSK, RDS and ElastiCache.
 */
public class Network extends Construct {

    /** Literal (not the VPC's token) so security group rules stay checkable at synth time. */
    public static final String CIDR = "10.40.0.0/16";

    private final Vpc vpc;

    public Network(Construct scope, String id, List<String> availabilityZones) {
        super(scope, id);
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(CIDR))
                // Explicit zones: no context lookup, so `cdk synth` works offline, and three of them even though
                // the stack is account-agnostic (CDK would otherwise pick two).
                .availabilityZones(availabilityZones)
                .natGateways(availabilityZones.size()) // one per zone: losing a zone must not cut the others' egress
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("edge").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("services")
                                .subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build(),
                        SubnetConfiguration.builder().name("data")
                                .subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .flowLogs(java.util.Map.of("all", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs()).build()))
                .build();
    }

    public Vpc vpc() {
        return vpc;
    }

    public SubnetSelection serviceSubnets() {
        return SubnetSelection.builder().subnetGroupName("services").build();
    }

    public SubnetSelection dataSubnets() {
        return SubnetSelection.builder().subnetGroupName("data").build();
    }
}
