package io.pulse.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class EdgeTest {

    static Template template;

    @BeforeAll
    static void synth() {
        template = Template.fromStack(TestApps.synth(Map.of()));
    }

    @Test
    void theWebAclIsForCloudFrontWithRateLimitCommonRulesAndBotControl() {
        template.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Scope", "CLOUDFRONT",
                "Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Action", Map.of("Block", Map.of()),
                                "Statement", Map.of("RateBasedStatement", Match.objectLike(Map.of(
                                        "Limit", Edge.RATE_LIMIT, "AggregateKeyType", "IP"))))),
                        Match.objectLike(Map.of("Statement", Map.of("ManagedRuleGroupStatement",
                                Match.objectLike(Map.of("VendorName", "AWS",
                                        "Name", "AWSManagedRulesCommonRuleSet"))))),
                        Match.objectLike(Map.of("Statement", Map.of("ManagedRuleGroupStatement",
                                Match.objectLike(Map.of("VendorName", "AWS",
                                        "Name", "AWSManagedRulesBotControlRuleSet"))))))))));
    }

    @Test
    void largeBatchesAreNotBlockedByTheCommonRuleSetsBodySizeRule() {
        template.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Rules", Match.arrayWith(List.of(Match.objectLike(Map.of("Statement", Map.of(
                        "ManagedRuleGroupStatement", Match.objectLike(Map.of(
                                "RuleActionOverrides", List.of(Map.of("Name", "SizeRestrictions_BODY",
                                        "ActionToUse", Map.of("Count", Map.of())))))))))))));
    }

    @Test
    void cloudFrontUsesTheWebAclAndHttpsOnly() {
        template.hasResourceProperties("AWS::CloudFront::Distribution", Match.objectLike(Map.of(
                "DistributionConfig", Match.objectLike(Map.of(
                        "WebACLId", Match.anyValue(),
                        "DefaultCacheBehavior", Match.objectLike(Map.of("ViewerProtocolPolicy", "https-only")),
                        "Logging", Match.objectLike(Map.of("Prefix", "cloudfront/")))))));
    }
}
