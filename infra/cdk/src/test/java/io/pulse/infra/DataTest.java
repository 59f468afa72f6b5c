package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class DataTest {

    static Template template;

    @BeforeAll
    static void synth() {
        template = Template.fromStack(TestApps.synth(Map.of()));
    }

    @Test
    void theVpcSpansThreeZonesWithPrivateSubnetsForServicesAndData() {
        template.resourceCountIs("AWS::EC2::Subnet", 9); // edge, services, data in each of three zones
        template.resourceCountIs("AWS::EC2::NatGateway", 3);
        for (String zone : List.of("us-east-1a", "us-east-1b", "us-east-1c")) {
            template.hasResourceProperties("AWS::EC2::Subnet", Match.objectLike(Map.of(
                    "AvailabilityZone", zone, "MapPublicIpOnLaunch", false)));
        }
    }

    @Test
    void kafkaHasThreeBrokersEncryptedInTransitAndAtRest() {
        template.hasResourceProperties("AWS::MSK::Cluster", Match.objectLike(Map.of(
                "ClusterName", "pulse",
                "NumberOfBrokerNodes", 3,
                "EncryptionInfo", Map.of(
                        "EncryptionInTransit", Map.of("ClientBroker", "TLS", "InCluster", true),
                        "EncryptionAtRest", Match.objectLike(Map.of("DataVolumeKMSKeyId", Match.anyValue()))),
                "ConfigurationInfo", Match.objectLike(Map.of("Arn", Match.anyValue())))));
    }

    @Test
    void kafkaKeepsThreeCopiesAndAcknowledgesAtTwo() {
        Map<?, ?> config = (Map<?, ?>) template.findResources("AWS::MSK::Configuration").values().iterator().next();
        String properties = (String) ((Map<?, ?>) config.get("Properties")).get("ServerProperties");
        assertThat(properties).contains("default.replication.factor=3", "min.insync.replicas=2",
                "unclean.leader.election.enable=false");
    }

    @Test
    void postgresIsMultiAzWithPointInTimeRecoveryAndDailySnapshots() {
        template.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
                "Engine", "postgres",
                "MultiAZ", true,
                "BackupRetentionPeriod", 14,
                "PreferredBackupWindow", "03:00-03:30",
                "StorageEncrypted", true,
                "DeletionProtection", true)));
        template.hasResourceProperties("AWS::Backup::BackupPlan", Match.objectLike(Map.of(
                "BackupPlan", Match.objectLike(Map.of("BackupPlanRule", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("ScheduleExpression", "cron(0 5 * * ? *)"))))))))); // daily
    }

    @Test
    void postgresHasAReadReplicaAndAllowsHll() {
        template.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
                "SourceDBInstanceIdentifier", Match.anyValue(), "MultiAZ", true)));
        template.hasResourceProperties("AWS::RDS::DBParameterGroup", Match.objectLike(Map.of(
                "Parameters", Match.objectLike(Map.of(
                        "rds.allowed_extensions", Match.stringLikeRegexp("(^|,)hll(,|$)"),
                        "rds.force_ssl", "1")))));
    }

    @Test
    void redisFailsOverAutomaticallyAndIsEncrypted() {
        template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", Match.objectLike(Map.of(
                "AutomaticFailoverEnabled", true,
                "MultiAZEnabled", true,
                "ReplicasPerNodeGroup", 2,
                "AtRestEncryptionEnabled", true,
                "TransitEncryptionEnabled", true,
                "AuthToken", Match.anyValue())));
    }

    @Test
    void rawEventsArchiveMovesToColdStorageAndIsPrivate() {
        Object coldTiers = Match.arrayWith(List.of(Match.objectLike(Map.of("Transitions", List.of(
                Map.of("StorageClass", "GLACIER", "TransitionInDays", 30),
                Map.of("StorageClass", "DEEP_ARCHIVE", "TransitionInDays", 180))))));
        Object kms = Match.arrayWith(List.of(Match.objectLike(Map.of("ServerSideEncryptionByDefault",
                Match.objectLike(Map.of("SSEAlgorithm", "aws:kms"))))));
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "LifecycleConfiguration", Map.of("Rules", coldTiers),
                "BucketEncryption", Match.objectLike(Map.of("ServerSideEncryptionConfiguration", kms)),
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true))));
    }

    @Test
    void everyBucketRefusesPlainHttp() {
        template.resourcePropertiesCountIs("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))), 2);
    }

    @Test
    void dataStoresAreReachableOnlyFromTheServices() {
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", Data.KAFKA_TLS_PORT, "SourceSecurityGroupId", Match.anyValue())));
        template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", Data.POSTGRES_PORT, "SourceSecurityGroupId", Match.anyValue())));
    }
}
