package io.pulse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker of a test's own (infra/local/kafka.sh on another port and data folder), for tests that stop
 * and restart Kafka without disturbing the shared test broker.
 */
public final class LocalBroker {

    private final int port;
    private final Path dir;

    /**
     * @param port below Linux's ephemeral range (32768 and up): a port in it can be held for a moment by some
     *             outgoing connection's local end, and the broker then fails to bind (seen once in CI at 39092)
     */
    public LocalBroker(int port, String name) {
        this.port = port;
        this.dir = root().resolve(".pulse").resolve(name);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public void start() {
        run("start");
    }

    public void stop() {
        run("stop");
    }

    /**
     * Stops it if running, deletes its storage and starts it: a new cluster with empty topics, so consumers that
     * start from the earliest offset read only this run's records.
     */
    public void startFresh() {
        stop();
        deleteRecursively(dir);
        start();
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + path, e);
        }
    }

    private void run(String command) {
        ProcessBuilder builder = new ProcessBuilder("bash", root().resolve("infra/local/kafka.sh").toString(),
                command).inheritIO();
        Map<String, String> env = builder.environment();
        env.put("PULSE_KAFKA_PORT", Integer.toString(port));
        env.put("PULSE_KAFKA_CONTROLLER_PORT", Integer.toString(port + 1));
        env.put("PULSE_KAFKA_HEAP", "256m");
        env.put("PULSE_KAFKA_DIR", dir.toString());
        try {
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kafka.sh " + command + " failed for port " + port);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The project root: the nearest folder above the working directory that holds infra/local/kafka.sh. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("infra/local/kafka.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("infra/local/kafka.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
