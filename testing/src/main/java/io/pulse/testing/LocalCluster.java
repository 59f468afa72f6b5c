package io.pulse.testing;

import io.pulse.shared.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Three Kafka 4.4 nodes on loopback, each broker and controller (KRaft combined mode, a static three-voter
 * quorum), with replication 3 and min.insync.replicas 2 as in production: a test may kill -9 any one node and
 * the cluster keeps accepting acks=all writes. Uses the jars infra/local/kafka.sh fetched into .pulse/kafka/lib;
 * storage is formatted anew on every {@link #start()}. Node {@code i} (1..3) listens on {@code basePort + i - 1}
 * and its controller on {@code basePort + 2 + i}; keep them below the ephemeral range, as {@link LocalBroker} says.
 */
public final class LocalCluster implements AutoCloseable {

    private static final int NODES = 3;
    private static final Path ROOT = LocalBroker.root();

    private final int basePort;
    private final Path dir;
    private final Path lib;
    private final String heap;
    private final Process[] nodes = new Process[NODES + 1];

    public LocalCluster(int basePort, String name) {
        this.basePort = basePort;
        Path home = Path.of(System.getenv().getOrDefault("PULSE_HOME", ROOT.resolve(".pulse").toString()));
        this.dir = home.resolve(name);
        this.lib = home.resolve("kafka/lib");
        this.heap = "256m";
    }

    public String bootstrap() {
        return IntStream.rangeClosed(1, NODES).mapToObj(i -> "127.0.0.1:" + port(i))
                .collect(Collectors.joining(","));
    }

    public int port(int node) {
        return basePort + node - 1;
    }

    private int controllerPort(int node) {
        return basePort + NODES + node - 1;
    }

    /** Formats empty storage on the three nodes, starts them, waits until all are ready, creates the topics. */
    public void start() throws Exception {
        if (!Files.exists(lib.resolve(".complete"))) {
            throw new IllegalStateException("no Kafka jars in " + lib + ": run infra/local/kafka.sh start once "
                    + "(bin/pulse test does) to fetch them");
        }
        close();
        LocalBroker.deleteRecursively(dir);
        String clusterId = Uuid.randomUuid().toString();
        List<Process> formats = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            Files.createDirectories(dir.resolve("node" + i + "/data"));
            Files.writeString(config(i), properties(i), StandardCharsets.UTF_8);
            formats.add(tool(dir.resolve("node" + i + "/format.log"), "kafka.tools.StorageTool", "format",
                    "-t", clusterId, "-c", config(i).toString()));
        }
        for (Process format : formats) {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed; see " + dir + "/node*/format.log");
            }
        }
        for (int i = 1; i <= NODES; i++) {
            launch(i);
        }
        for (int i = 1; i <= NODES; i++) {
            awaitStarted(i, Duration.ofSeconds(90));
        }
        createTopics();
    }

    /** The static quorum, production's durability settings, small logs. */
    private String properties(int node) {
        String voters = IntStream.rangeClosed(1, NODES).mapToObj(i -> i + "@127.0.0.1:" + controllerPort(i))
                .collect(Collectors.joining(","));
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + node,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + port(node) + ",CONTROLLER://127.0.0.1:" + controllerPort(node),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port(node),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("node" + node + "/data"),
                "num.partitions=6",
                "default.replication.factor=3",
                "min.insync.replicas=2",
                "offsets.topic.replication.factor=3",
                "transaction.state.log.replication.factor=3",
                "transaction.state.log.min.isr=2",
                "share.coordinator.state.topic.replication.factor=3",
                "share.coordinator.state.topic.min.isr=2",
                // Never elect an out-of-sync replica: that would drop acknowledged records.
                "unclean.leader.election.enable=false",
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private Path config(int node) {
        return dir.resolve("node" + node + "/server.properties");
    }

    private Path log(int node) {
        return dir.resolve("node" + node + "/kafka.log");
    }

    private Process tool(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx128m", "-cp", lib + "/*",
                "-Dlog4j2.configurationFile=" + ROOT.resolve("infra/local/kafka/log4j2.properties")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void launch(int node) throws IOException {
        Files.deleteIfExists(log(node));
        nodes[node] = new ProcessBuilder(java(), "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-cp", lib + "/*",
                "-Dlog4j2.configurationFile=" + ROOT.resolve("infra/local/kafka/log4j2.properties"),
                "kafka.Kafka", config(node).toString())
                .redirectErrorStream(true).redirectOutput(log(node).toFile()).start();
    }

    private void awaitStarted(int node, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!nodes[node].isAlive()) {
                throw new IllegalStateException("Kafka node " + node + " exited; see " + log(node));
            }
            if (Files.exists(log(node)) && Files.readString(log(node)).contains("Kafka Server started")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Kafka node " + node + " not ready after " + timeout + "; see " + log(node));
    }

    /** The pipeline's topics with three replicas, at least two in sync for an acks=all write. */
    private void createTopics() throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> topics = List.of(Topics.RAW, Topics.ENRICHED, Topics.DLQ).stream()
                    .map(t -> new NewTopic(t, 6, (short) NODES).configs(Map.of("min.insync.replicas", "2")))
                    .toList();
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    /** The node id of the active controller (the KRaft quorum's leader). */
    public int controllerLeader() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        }
    }

    /** kill -9 of one node: no controlled shutdown, no leadership handed over. */
    public void kill(int node) throws InterruptedException {
        nodes[node].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts a killed node again on its existing storage and waits until it is ready. */
    public void restart(int node) throws Exception {
        launch(node);
        awaitStarted(node, Duration.ofSeconds(90));
    }

    /** Waits until every partition of the pipeline's topics has all three replicas in sync again. */
    public void awaitFullIsr(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.RAW, Topics.ENRICHED))
                        .allTopicNames().get(30, TimeUnit.SECONDS);
                boolean full = topics.values().stream().flatMap(t -> t.partitions().stream())
                        .map(TopicPartitionInfo::isr).allMatch(isr -> isr.size() == NODES);
                if (full) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replicas not back in sync after " + timeout + ": " + topics);
                }
                Thread.sleep(250);
            }
        }
    }

    /** SIGTERM to every node still running. */
    @Override
    public void close() throws InterruptedException {
        for (int i = 1; i <= NODES; i++) {
            if (nodes[i] != null && nodes[i].isAlive()) {
                nodes[i].destroy();
            }
        }
        for (int i = 1; i <= NODES; i++) {
            if (nodes[i] != null && !nodes[i].waitFor(30, TimeUnit.SECONDS)) {
                nodes[i].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
