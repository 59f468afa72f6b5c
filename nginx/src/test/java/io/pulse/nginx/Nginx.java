package io.pulse.nginx;

import io.pulse.testing.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real nginx running the configuration nginx/render.sh writes from conf/nginx.conf.template, in a folder of
 * its own under target/, on free loopback ports, in the foreground so the test owns the process.
 */
final class Nginx implements AutoCloseable {

    static final Path MODULE = ServiceProcess.ROOT.resolve("nginx");

    final Path dir;
    final int httpsPort;
    final int httpPort;
    private final Process process;

    private Nginx(Path dir, int httpsPort, int httpPort, Process process) {
        this.dir = dir;
        this.httpsPort = httpsPort;
        this.httpPort = httpPort;
        this.process = process;
    }

    /** The nginx executable, if installed (Debian puts it in /usr/sbin, which may not be on PATH). */
    static Optional<Path> binary() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(p -> !p.isEmpty()).map(p -> Path.of(p, "nginx"));
        return Stream.concat(onPath, Stream.of(Path.of("/usr/sbin/nginx"))).filter(Files::isExecutable).findFirst();
    }

    /**
     * Renders the configuration into target/{@code name}, checks it with nginx -t, starts nginx and waits until
     * it answers. {@code settings} are render.sh's PULSE_NGINX_* variables (upstreams, rate limits).
     */
    static Nginx start(String name, Map<String, String> settings) throws Exception {
        Path dir = MODULE.resolve("target").resolve(name);
        deleteRecursively(dir); // a fresh certificate, cache and logs for every run
        int httpsPort = freePort();
        int httpPort = freePort();
        ProcessBuilder render = new ProcessBuilder("bash", MODULE.resolve("render.sh").toString());
        render.environment().putAll(settings);
        render.environment().put("PULSE_NGINX_DIR", dir.toString());
        render.environment().put("PULSE_NGINX_HTTPS_PORT", Integer.toString(httpsPort));
        render.environment().put("PULSE_NGINX_HTTP_PORT", Integer.toString(httpPort));
        render.environment().put("PULSE_NGINX_BIN", binary().orElseThrow().toString());
        Result rendered = run(render);
        if (rendered.exit != 0) {
            throw new IllegalStateException("render.sh failed: " + rendered.output);
        }
        Result check = test(dir);
        if (check.exit != 0) {
            throw new IllegalStateException("nginx -t failed: " + check.output);
        }
        Process process = new ProcessBuilder(binary().orElseThrow().toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(dir, httpsPort, httpPort, process);
        nginx.awaitListening(Duration.ofSeconds(10));
        return nginx;
    }

    /** nginx -t on a rendered folder: exit code and what it printed. */
    static Result test(Path dir) throws Exception {
        return run(new ProcessBuilder(binary().orElseThrow().toString(), "-t", "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString()));
    }

    record Result(int exit, String output) {
    }

    String https() {
        return "https://127.0.0.1:" + httpsPort;
    }

    String http() {
        return "http://127.0.0.1:" + httpPort;
    }

    Path accessLog() {
        return dir.resolve("logs/access.json");
    }

    /** An SSLContext that trusts exactly the certificate this nginx serves (the generated self-signed one). */
    SSLContext trustingItsCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(dir.resolve("tls/cert.pem"))) {
            trust.setCertificateEntry("pulse-edge", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private void awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log"))
                        + Files.readString(dir.resolve("logs/error.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", httpsPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx not listening on " + httpsPort + " after " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Result run(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + builder.command());
        }
        return new Result(process.exitValue(), output);
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
