package io.pulse.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Pulse service (its quarkus-run.jar) running as a separate JVM, as in production, with the test
 * profile (pulse_test database, test consumer groups, the test broker). Its output goes to
 * {@code <root>/target/process-logs/<name>-<port>-<start millis>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path ROOT = LocalBroker.root();
    public static final String KAFKA = TestKafka.BOOTSTRAP;

    public final String name;
    public final int port;
    private final String kafka;
    private final Map<String, String> properties;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, String kafka, Map<String, String> properties, Process process,
            Path log) {
        this.name = name;
        this.port = port;
        this.kafka = kafka;
        this.properties = properties;
        this.process = process;
        this.log = log;
    }

    public static ServiceProcess start(String name) throws IOException {
        return start(name, Map.of());
    }

    /** @param properties extra system properties, e.g. {@code pulse.ingest.proxy.trusted} */
    public static ServiceProcess start(String name, Map<String, String> properties) throws IOException {
        return start(name, KAFKA, properties);
    }

    /**
     * @param kafka      bootstrap servers: another broker than the shared test broker (a test's own, which it may
     *                   stop or kill)
     * @param properties extra system properties, e.g. {@code pulse.ingest.proxy.trusted}
     */
    public static ServiceProcess start(String name, String kafka, Map<String, String> properties)
            throws IOException {
        return start(name, freePort(), kafka, properties);
    }

    /**
     * The same service again, on the same port and with the same settings, once this one has exited (after
     * {@link #kill()}): what a supervisor such as systemd does, so clients that know its address find it again.
     */
    public ServiceProcess restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " on port " + port + " is still running");
        }
        return start(name, port, kafka, properties);
    }

    private static ServiceProcess start(String name, int port, String kafka, Map<String, String> properties)
            throws IOException {
        Path jar = ROOT.resolve("services/" + name + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn verify from the root (it packages first)");
        }
        Path logDir = ROOT.resolve("target/process-logs");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + "-" + port + "-" + System.currentTimeMillis() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heapOf(name), "-XX:+UseSerialGC",
                // The test profile: pulse_test database, test consumer groups, the test broker.
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port,
                "-Dpulse.test.kafka=" + kafka));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ServiceProcess(name, port, kafka, Map.copyOf(properties), process, log);
    }

    /** As bin/pulse starts them: Yauaa's tables and 10,000-event batches need more than the default 192 MB. */
    private static String heapOf(String name) {
        return name.equals("enricher") || name.equals("aggregator") ? "-Xmx384m" : "-Xmx192m";
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + log);
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hooks, no flush, no goodbye; what a crash looks like to the rest of the system. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    /** kill -STOP: the process is frozen (no threads run, sockets stay open), as in a long GC pause or a hung VM. */
    public void suspend() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** kill -CONT after {@link #suspend()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: a graceful Quarkus shutdown
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
