package io.pulse.infra;

import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CacheHeaderBehavior;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.CacheQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.LoadBalancerV2Origin;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.constructs.Construct;

/**
 * CloudFront with AWS WAF in front of the load balancer, where the case study had Cloudflare: TLS at the edge,
 * a per-IP rate limit, AWS's common rule set and bot control, and a few seconds of caching for dashboard reads.
 * A web ACL for CloudFront must be created in us-east-1, which is why the whole app deploys there.
 */
public class Edge extends Construct {

    /** Requests per IP per five minutes; server-side SDKs batch, so a busy backend stays well below it. */
    public static final int RATE_LIMIT = 10_000;

    private final CfnWebACL webAcl;
    private final Distribution distribution;

    public Edge(Construct scope, String id, ApplicationLoadBalancer loadBalancer, Bucket accessLogs) {
        super(scope, id);
        this.webAcl = CfnWebACL.Builder.create(this, "WebAcl")
                .name("pulse-edge")
                .scope("CLOUDFRONT")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder()
                        .allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility("pulse-edge"))
                .rules(List.of(rateLimit(), commonRules(), botControl()))
                .build();
        LoadBalancerV2Origin origin = LoadBalancerV2Origin.Builder.create(loadBalancer)
                .protocolPolicy(OriginProtocolPolicy.HTTP_ONLY)
                .httpPort(Services.EDGE_PORT)
                .build();
        // Dashboard reads may be a few seconds old; the cache key holds the read key, so projects never mix.
        CachePolicy shortReads = CachePolicy.Builder.create(this, "ShortReads")
                .comment("Pulse query API: a few seconds per read key and query string")
                .defaultTtl(Duration.seconds(5)).minTtl(Duration.seconds(0)).maxTtl(Duration.seconds(60))
                .headerBehavior(CacheHeaderBehavior.allowList("Authorization"))
                .queryStringBehavior(CacheQueryStringBehavior.all())
                .enableAcceptEncodingGzip(true).enableAcceptEncodingBrotli(true)
                .build();
        this.distribution = Distribution.Builder.create(this, "Distribution")
                .comment("Pulse API")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(origin)
                        .allowedMethods(AllowedMethods.ALLOW_ALL)
                        .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                        .cachePolicy(CachePolicy.CACHING_DISABLED) // tracking calls are never cached
                        .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                        .build())
                .additionalBehaviors(java.util.Map.of("/v1/projects/*", BehaviorOptions.builder()
                        .origin(origin)
                        .allowedMethods(AllowedMethods.ALLOW_GET_HEAD_OPTIONS)
                        .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                        .cachePolicy(shortReads)
                        .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                        .build()))
                .webAclId(webAcl.getAttrArn())
                .enableLogging(true).logBucket(accessLogs).logFilePrefix("cloudfront/")
                .priceClass(PriceClass.PRICE_CLASS_100)
                .build();
        acknowledge("AwsSolutions-CFR1",
                "Analytics events come from every country; no geographic restriction is wanted.");
        acknowledge("AwsSolutions-CFR4",
                "The default *.cloudfront.net certificate until a custom domain is set; it negotiates TLS 1.2+.");
        acknowledge("AwsSolutions-CFR5",
                "The origin is an ALB without a certificate, reachable only from CloudFront's prefix list; "
                        + "switch the origin to HTTPS when a domain and an ACM certificate exist.");
    }

    private void acknowledge(String rule, String reason) {
        Validations.of(distribution).acknowledge(Acknowledgment.builder().id(rule).reason(reason).build());
    }

    private static CfnWebACL.RuleProperty rateLimit() {
        return CfnWebACL.RuleProperty.builder()
                .name("rate-per-ip").priority(0)
                .action(CfnWebACL.RuleActionProperty.builder()
                        .block(CfnWebACL.BlockActionProperty.builder().build()).build())
                .statement(CfnWebACL.StatementProperty.builder()
                        .rateBasedStatement(CfnWebACL.RateBasedStatementProperty.builder()
                                .limit(RATE_LIMIT).evaluationWindowSec(300).aggregateKeyType("IP").build())
                        .build())
                .visibilityConfig(visibility("rate-per-ip"))
                .build();
    }

    private static CfnWebACL.RuleProperty commonRules() {
        return managed("aws-common", 1, "AWSManagedRulesCommonRuleSet", null,
                // /v1/batch bodies are larger than the rule set's 8 KB limit by design: count, don't block.
                List.of("SizeRestrictions_BODY"));
    }

    private static CfnWebACL.RuleProperty botControl() {
        CfnWebACL.ManagedRuleGroupConfigProperty config = CfnWebACL.ManagedRuleGroupConfigProperty.builder()
                .awsManagedRulesBotControlRuleSet(CfnWebACL.AWSManagedRulesBotControlRuleSetProperty.builder()
                        .inspectionLevel("COMMON").build())
                .build();
        return managed("aws-bot-control", 2, "AWSManagedRulesBotControlRuleSet", config,
                // Server-side SDKs are HTTP libraries, not browsers: they are legitimate senders here.
                List.of("CategoryHttpLibrary", "SignalNonBrowserUserAgent"));
    }

    private static CfnWebACL.RuleProperty managed(String name, int priority, String group,
                                                  CfnWebACL.ManagedRuleGroupConfigProperty config,
                                                  List<String> countOnly) {
        CfnWebACL.ManagedRuleGroupStatementProperty.Builder statement =
                CfnWebACL.ManagedRuleGroupStatementProperty.builder()
                        .vendorName("AWS").name(group)
                        .ruleActionOverrides(countOnly.stream().map(rule -> CfnWebACL.RuleActionOverrideProperty
                                .builder().name(rule)
                                .actionToUse(CfnWebACL.RuleActionProperty.builder()
                                        .count(CfnWebACL.CountActionProperty.builder().build()).build())
                                .build()).toList());
        if (config != null) {
            statement.managedRuleGroupConfigs(List.of(config));
        }
        return CfnWebACL.RuleProperty.builder()
                .name(name).priority(priority)
                .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(java.util.Map.of()).build())
                .statement(CfnWebACL.StatementProperty.builder().managedRuleGroupStatement(statement.build()).build())
                .visibilityConfig(visibility(name))
                .build();
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .metricName(metric).cloudWatchMetricsEnabled(true).sampledRequestsEnabled(true).build();
    }

    public CfnWebACL webAcl() { return webAcl; }
    public Distribution distribution() { return distribution; }
}
