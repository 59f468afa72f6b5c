package io.pulse.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

/**
 * The load balancer and the four service fleets behind it. Two listeners: the edge listener (port 80, reachable
 * only from CloudFront) routes the API paths to ingest and query; the ops listener (port 8080, reachable only
 * from inside the VPC) routes by host name ({@code enricher.ops}, {@code aggregator.ops}) to the consumers,
 * which serve only health and metrics.
 */
public class Services extends Construct {

    public static final int EDGE_PORT = 80;
    public static final int OPS_PORT = 8080;

    private final ApplicationLoadBalancer loadBalancer;
    private final List<ServiceFleet> fleets = new ArrayList<>();

    public Services(Construct scope, String id, Release release, Network network, Data data, Bucket accessLogs,
                    String cloudFrontPrefixList) {
        super(scope, id);
        SecurityGroup albSg = SecurityGroup.Builder.create(this, "LoadBalancerSg").vpc(network.vpc())
                .description("Pulse ALB: CloudFront on 80, the VPC on 8080").allowAllOutbound(false).build();
        // CloudFront's origin-facing addresses only: the WAF in front cannot be bypassed by calling the ALB.
        albSg.addIngressRule(Peer.prefixList(cloudFrontPrefixList), Port.tcp(EDGE_PORT), "CloudFront origin-facing");
        albSg.addIngressRule(Peer.ipv4(Network.CIDR), Port.tcp(OPS_PORT), "ops from the VPC");
        this.loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(network.vpc())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .internetFacing(true)
                .securityGroup(albSg)
                .dropInvalidHeaderFields(true)
                .build();
        loadBalancer.logAccessLogs(accessLogs, "alb");
        ApplicationListener edge = listener("Edge", EDGE_PORT);
        ApplicationListener ops = listener("Ops", OPS_PORT);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            ServiceFleet fleet = new ServiceFleet(this, spec, release, network, data, spec.isPublic() ? edge : ops);
            fleets.add(fleet);
        }
    }

    private ApplicationListener listener(String id, int port) {
        ApplicationListener listener = loadBalancer.addListener(id, BaseApplicationListenerProps.builder()
                .port(port).protocol(ApplicationProtocol.HTTP).open(false)
                .defaultAction(ListenerAction.fixedResponse(404, FixedResponseOptions.builder()
                        .contentType("application/json")
                        .messageBody("{\"status\":404,\"code\":\"not_found\",\"message\":\"no such route\"}")
                        .build()))
                .build());
        return listener;
    }

    public ApplicationLoadBalancer loadBalancer() { return loadBalancer; }
    public List<ServiceFleet> fleets() { return List.copyOf(fleets); }
}
