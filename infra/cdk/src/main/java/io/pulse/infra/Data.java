package io.pulse.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.backup.BackupPlan;
import software.amazon.awscdk.services.backup.BackupResource;
import software.amazon.awscdk.services.backup.BackupSelectionOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.msk.CfnCluster;
import software.amazon.awscdk.services.msk.CfnConfiguration;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseInstanceReadReplica;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.Acknowledgment;
import software.constructs.Construct;

/**
 * Everything that keeps state, in the isolated subnets: Kafka (MSK), PostgreSQL (RDS), Redis (ElastiCache)
 * and the cold archive of raw events (S3). Each is reachable only from the services' security group.
 */
public class Data extends Construct {

    public static final String KAFKA_CLUSTER_NAME = "pulse";
    static final int KAFKA_TLS_PORT = 9094;
    static final int POSTGRES_PORT = 5432;
    static final int REDIS_PORT = 6379;

    private final Key key;
    private final SecurityGroup kafkaSg;
    private final SecurityGroup databaseSg;
    private final SecurityGroup redisSg;
    private final CfnCluster kafka;
    private final DatabaseInstance database;
    private final DatabaseInstanceReadReplica readReplica;
    private final CfnReplicationGroup redis;
    private final Secret redisToken;
    private final Bucket archive;

    public Data(Construct scope, String id, Network network, Bucket accessLogs) {
        super(scope, id);
        Vpc vpc = network.vpc();
        SubnetSelection subnets = network.dataSubnets();
        this.key = Key.Builder.create(this, "Key").enableKeyRotation(true)
                .description("Pulse data at rest: Kafka volumes, archive").build();
        this.kafkaSg = securityGroup(vpc, "KafkaSg", "MSK brokers: TLS from the services");
        this.databaseSg = securityGroup(vpc, "DatabaseSg", "PostgreSQL: from the services");
        this.redisSg = securityGroup(vpc, "RedisSg", "Redis: TLS from the services");
        this.kafka = kafka(vpc, subnets);
        this.database = database(vpc, subnets);
        // Daily snapshots kept beyond the automated window, in a vault of their own.
        BackupPlan backups = BackupPlan.daily35DayRetention(this, "DailySnapshots");
        backups.addSelection("Database", BackupSelectionOptions.builder()
                .resources(List.of(BackupResource.fromRdsDatabaseInstance(database))).build());
        this.readReplica = DatabaseInstanceReadReplica.Builder.create(this, "ReadReplica")
                .sourceDatabaseInstance(database)
                .instanceType(InstanceType.of(InstanceClass.R7G, InstanceSize.LARGE))
                .vpc(vpc).vpcSubnets(subnets).securityGroups(List.of(databaseSg))
                .multiAz(true) // the query service reads only from it: it must survive a zone too
                .deletionProtection(true)
                .enablePerformanceInsights(true)
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        this.redisToken = Secret.Builder.create(this, "RedisAuthToken")
                .description("Redis AUTH token for the Pulse services")
                .generateSecretString(SecretStringGenerator.builder()
                        .excludePunctuation(true).passwordLength(64).build())
                .build();
        this.redis = redis(vpc, subnets);
        this.archive = archive(accessLogs);
        acknowledgeRules(backups);
    }

    /** Lets a fleet's instances reach Kafka, PostgreSQL (primary and replica) and Redis. */
    public void allowFrom(ISecurityGroup services) {
        kafkaSg.addIngressRule(services, Port.tcp(KAFKA_TLS_PORT), "Kafka TLS from the services");
        databaseSg.addIngressRule(services, Port.tcp(POSTGRES_PORT), "PostgreSQL from the services");
        redisSg.addIngressRule(services, Port.tcp(REDIS_PORT), "Redis TLS from the services");
    }

    private SecurityGroup securityGroup(Vpc vpc, String id, String description) {
        return SecurityGroup.Builder.create(this, id).vpc(vpc).description(description)
                .allowAllOutbound(false).build();
    }

    private CfnCluster kafka(Vpc vpc, SubnetSelection subnets) {
        // Three brokers, one per zone: every partition has a copy in each zone, and a write is acknowledged
        // (acks=all) once two of them hold it, so one zone can go without losing or refusing data.
        CfnConfiguration config = CfnConfiguration.Builder.create(this, "KafkaConfig")
                .name("pulse-kafka")
                .kafkaVersionsList(List.of("3.9.x"))
                .serverProperties(String.join("\n",
                        "default.replication.factor=3",
                        "min.insync.replicas=2",
                        "unclean.leader.election.enable=false",
                        "auto.create.topics.enable=false",
                        "num.partitions=12"))
                .build();
        LogGroup brokerLogs = LogGroup.Builder.create(this, "KafkaBrokerLogs")
                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build();
        return CfnCluster.Builder.create(this, "Kafka")
                .clusterName(KAFKA_CLUSTER_NAME)
                .kafkaVersion("3.9.x")
                .numberOfBrokerNodes(3)
                .brokerNodeGroupInfo(CfnCluster.BrokerNodeGroupInfoProperty.builder()
                        .instanceType("kafka.m7g.large")
                        .clientSubnets(vpc.selectSubnets(subnets).getSubnetIds())
                        .securityGroups(List.of(kafkaSg.getSecurityGroupId()))
                        .storageInfo(CfnCluster.StorageInfoProperty.builder()
                                .ebsStorageInfo(CfnCluster.EBSStorageInfoProperty.builder().volumeSize(1000).build())
                                .build())
                        .build())
                .configurationInfo(CfnCluster.ConfigurationInfoProperty.builder()
                        .arn(config.getAttrArn())
                        .revision(config.getAttrLatestRevisionRevision())
                        .build())
                .encryptionInfo(CfnCluster.EncryptionInfoProperty.builder()
                        .encryptionAtRest(CfnCluster.EncryptionAtRestProperty.builder()
                                .dataVolumeKmsKeyId(key.getKeyArn()).build())
                        .encryptionInTransit(CfnCluster.EncryptionInTransitProperty.builder()
                                .clientBroker("TLS").inCluster(true).build())
                        .build())
                // PER_TOPIC_PER_BROKER also publishes the consumer-lag metrics (SumOffsetLag) the consumers scale on.
                .enhancedMonitoring("PER_TOPIC_PER_BROKER")
                .loggingInfo(CfnCluster.LoggingInfoProperty.builder()
                        .brokerLogs(CfnCluster.BrokerLogsProperty.builder()
                                .cloudWatchLogs(CfnCluster.CloudWatchLogsProperty.builder()
                                        .enabled(true).logGroup(brokerLogs.getLogGroupName()).build())
                                .build())
                        .build())
                .build();
    }

    private DatabaseInstance database(Vpc vpc, SubnetSelection subnets) {
        var engine = DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                .version(PostgresEngineVersion.VER_16).build());
        // hll needs no preloading on RDS: allowing it here is enough for the aggregator's CREATE EXTENSION.
        ParameterGroup parameters = ParameterGroup.Builder.create(this, "Parameters")
                .engine(engine)
                .description("Pulse PostgreSQL: hll allowed, TLS required")
                .parameters(java.util.Map.of(
                        "rds.allowed_extensions", "hll,pg_stat_statements",
                        "rds.force_ssl", "1",
                        "log_min_duration_statement", "500"))
                .build();
        DatabaseInstance db = DatabaseInstance.Builder.create(this, "Database")
                .engine(engine)
                .instanceType(InstanceType.of(InstanceClass.R7G, InstanceSize.LARGE))
                .vpc(vpc).vpcSubnets(subnets).securityGroups(List.of(databaseSg))
                .port(POSTGRES_PORT)
                .databaseName("pulse")
                .credentials(Credentials.fromGeneratedSecret("pulse"))
                .parameterGroup(parameters)
                .multiAz(true)
                .storageEncrypted(true)
                .allocatedStorage(200).maxAllocatedStorage(2000)
                // Retained backups give point-in-time recovery to any second of the last 14 days; the window is
                // when the daily automated snapshot is taken.
                .backupRetention(Duration.days(14))
                .preferredBackupWindow("03:00-03:30")
                .preferredMaintenanceWindow("sun:04:00-sun:04:30")
                .deletionProtection(true)
                .iamAuthentication(true)
                .enablePerformanceInsights(true)
                .cloudwatchLogsExports(List.of("postgresql"))
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
        return db;
    }

    private CfnReplicationGroup redis(Vpc vpc, SubnetSelection subnets) {
        CfnSubnetGroup subnetGroup = CfnSubnetGroup.Builder.create(this, "RedisSubnets")
                .description("Pulse Redis")
                .subnetIds(vpc.selectSubnets(subnets).getSubnetIds())
                .build();
        return CfnReplicationGroup.Builder.create(this, "Redis")
                .replicationGroupDescription("Pulse hot data: dedup keys, live persons")
                .engine("redis")
                .engineVersion("7.1")
                .cacheNodeType("cache.r7g.large")
                .numNodeGroups(1)
                .replicasPerNodeGroup(2) // a primary and two replicas, one per zone
                .automaticFailoverEnabled(true)
                .multiAzEnabled(true)
                .atRestEncryptionEnabled(true)
                .transitEncryptionEnabled(true)
                .authToken(redisToken.getSecretValue().unsafeUnwrap()) // a dynamic reference, resolved by CloudFormation
                .port(REDIS_PORT)
                .cacheSubnetGroupName(subnetGroup.getRef())
                .securityGroupIds(List.of(redisSg.getSecurityGroupId()))
                .snapshotRetentionLimit(7)
                .snapshotWindow("03:30-04:30")
                .build();
    }

    private Bucket archive(Bucket accessLogs) {
        // Raw events older than the hot window, kept for replays and audits: cheap to keep, slow to read.
        return Bucket.Builder.create(this, "RawEventArchive")
                .encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs).serverAccessLogsPrefix("archive/")
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("cold-archive")
                        .transitions(List.of(
                                Transition.builder().storageClass(StorageClass.GLACIER)
                                        .transitionAfter(Duration.days(30)).build(),
                                Transition.builder().storageClass(StorageClass.DEEP_ARCHIVE)
                                        .transitionAfter(Duration.days(180)).build()))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private void acknowledgeRules(BackupPlan plan) {
        for (Construct db : List.<Construct>of(database, readReplica)) {
            acknowledge(db, "AwsSolutions-RDS11",
                    "The standard port; only the services' security group can reach the isolated subnets.");
        }
        acknowledge(readReplica, "AwsSolutions-RDS2", "A replica is encrypted because its source is; CloudFormation "
                + "rejects StorageEncrypted together with SourceDBInstanceIdentifier.");
        acknowledge(redis, "AwsSolutions-AEC5",
                "The standard port; only the services' security group can reach the isolated subnets.");
        acknowledge(plan, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                + "AWSBackupServiceRolePolicyForBackup]", "AWS Backup's own service role policy, maintained by AWS.");
        acknowledge(database, "AwsSolutions-SMG4",
                "The services read the database password at boot; rotation waits for a reload path in them.");
        acknowledge(redisToken, "AwsSolutions-SMG4",
                "Redis AUTH token rotation needs a two-token rollover (ModifyReplicationGroup); done by hand.");
    }

    private static void acknowledge(Construct construct, String rule, String reason) {
        Validations.of(construct).acknowledge(Acknowledgment.builder().id(rule).reason(reason).build());
    }

    public CfnCluster kafka() { return kafka; }
    public DatabaseInstance database() { return database; }
    public DatabaseInstanceReadReplica readReplica() { return readReplica; }
    public CfnReplicationGroup redis() { return redis; }
    public ISecret redisToken() { return redisToken; }
    public ISecret databaseSecret() { return database.getSecret(); }
    public Bucket archive() { return archive; }
    public Key key() { return key; }
}
