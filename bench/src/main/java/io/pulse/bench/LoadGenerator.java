package io.pulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives ingest with realistic events at a fixed rate (open loop: latency counts from when a request was due,
 * so a stall is not hidden) or as fast as it answers, shows progress every second, optionally measures
 * freshness (ingest's 200 to visible in the query API), and writes a JSON result.
 *
 * <pre>
 * java -cp … io.pulse.bench.LoadGenerator --url=http://127.0.0.1:8081[,http://…] --key=WRITE_KEY --rate=5000
 *      --duration=60s [--mode=single|batch --batch-size=100 --connections=64 --persons=10000
 *      --property-bytes=200 --probes=5 --query-url=… --read-key=… --project=… --label=… --out=result.json
 *      --retries=0 --warmup=5s]
 * </pre>
 * {@code --warmup} keeps the first seconds' latencies (both JVMs still compiling) out of the totals; the timeline
 * still shows them.
 * Exit status 3 when any request failed: such a run has no valid throughput. With {@code --retries=N} a 503 is
 * sent again with the same body after its Retry-After, and a connection error after 100 ms, up to N times, as SDKs
 * do; the request counts as failed only if its last try was not a 200. Several ingest URLs share the requests
 * round-robin, and a retry goes to the next one: a client behind a load balancer keeps a path when an instance
 * dies.
 *
 * <p>The reliability tests (e2e) run it in-process and count per event through {@link #onResponse}.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The reason in a problem body: {"status":503,"code":"overloaded",…}. */
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");

    /** Every answer ingest gave, each try of a retried request included (load and probe requests). */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param messageIds the events of the request
         * @param status     the HTTP status, or -1 for a connection error
         * @param nanoTime   {@link System#nanoTime()} when the answer arrived
         */
        void response(List<String> messageIds, int status, long nanoTime);
    }

    private final Options options;
    private final EventMix mix;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Recorder interval = new Recorder(3);
    private final Histogram total = new Histogram(60_000_000L, 3);
    private final Histogram freshness = new Histogram(60_000_000L, 3);
    private final AtomicLong sentRequests = new AtomicLong();
    private final AtomicLong okRequests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong probesLost = new AtomicLong();
    private final Map<String, Long> statusCounts = new TreeMap<>();
    private final List<Map<String, Object>> timeline = new ArrayList<>();
    private long inFlight;
    private long probesSent;
    private long startNanos;
    private volatile boolean stopping;
    private volatile Listener listener = (ids, status, nanos) -> { };
    private Vertx vertx;

    public LoadGenerator(Options options) {
        this.options = options;
        this.mix = new EventMix(options.persons, options.propertyBytes, options.seed);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.writePayloads != null) {
            PayloadFile.write(Path.of(options.writePayloads), options.count, options);
            return;
        }
        Map<String, Object> result = new LoadGenerator(options).run();
        if (options.out != null) {
            Files.createDirectories(Path.of(options.out).toAbsolutePath().getParent());
            JSON.writeValue(Path.of(options.out).toFile(), result);
            System.out.println("result: " + options.out);
        }
        if (!(Boolean) result.get("valid")) {
            System.out.println("*** INVALID RUN: " + result.get("errors") + " requests failed "
                    + result.get("statusCounts") + "; no throughput is reported for it ***");
            System.exit(3);
        }
    }

    /** Called on the generator's event loop for every answer; keep it cheap. */
    public LoadGenerator onResponse(Listener listener) {
        this.listener = listener;
        return this;
    }

    public Map<String, Object> run() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<HttpClient> clients = new ArrayList<>();
        for (String instance : options.urls()) {
            URI url = URI.create(instance);
            clients.add(vertx.createHttpClient(new HttpClientOptions()
                            .setDefaultHost(url.getHost()).setDefaultPort(url.getPort()).setKeepAlive(true)
                            .setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(options.connections)));
        }
        HttpClient probeClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(4));
        String auth = "Basic " + Base64.getEncoder().encodeToString((options.key + ":").getBytes(StandardCharsets.UTF_8));
        String path = options.batchSize > 1 ? "/v1/batch" : "/v1/track";
        CountDownLatch done = new CountDownLatch(1);
        System.out.printf("load: %s %s, %s, %d connections, %s events/s, %d persons, %d user agents, run %s%n",
                options.label, options.url + path, options.batchSize > 1 ? "batches of " + options.batchSize
                        : "single events", options.connections, options.rate > 0 ? options.rate : "open",
                options.persons, mix.distinctUserAgents(), runId);

        vertx.runOnContext(ignored -> {
            startNanos = System.nanoTime();
            if (options.rate > 0) {
                double requestsPerSecond = (double) options.rate / options.batchSize;
                vertx.setPeriodic(1, timer -> {
                    long now = System.nanoTime();
                    long due = (long) ((now - startNanos) * requestsPerSecond / 1e9);
                    while (!stopping && sentRequests.get() < due && !reachedCount()) {
                        long intended = startNanos + (long) (sentRequests.get() * 1e9 / requestsPerSecond);
                        send(clients, auth, path, intended, () -> { });
                    }
                });
            } else {
                for (int i = 0; i < options.connections; i++) {
                    sendLoop(clients, auth, path);
                }
            }
            vertx.setPeriodic(1000, timer -> progress());
            if (options.probes > 0) {
                vertx.setPeriodic(Math.max(20, 1000 / options.probes), timer -> probe(clients, probeClient, auth));
            }
            vertx.setPeriodic(50, timer -> {
                boolean over = options.count > 0 ? reachedCount()
                        : System.nanoTime() - startNanos >= options.duration.toNanos();
                if (over && !stopping) {
                    stopping = true;
                }
                if (stopping && inFlight == 0) {
                    vertx.cancelTimer(timer);
                    done.countDown();
                }
            });
        });
        done.await();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        progress();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        return result(seconds);
    }

    private boolean reachedCount() {
        return options.count > 0 && sentRequests.get() * options.batchSize >= options.count;
    }

    private void sendLoop(List<HttpClient> clients, String auth, String path) {
        if (stopping || reachedCount()) {
            return;
        }
        send(clients, auth, path, System.nanoTime(), () -> sendLoop(clients, auth, path));
    }

    private void send(List<HttpClient> clients, String auth, String path, long intendedNanos, Runnable then) {
        long seq = sentRequests.getAndIncrement();
        List<String> ids = new ArrayList<>(options.batchSize);
        String body;
        if (options.batchSize > 1) {
            body = mix.batch(runId, seq * options.batchSize, options.batchSize);
            for (int i = 0; i < options.batchSize; i++) {
                ids.add(runId + "-" + (seq * options.batchSize + i));
            }
        } else {
            ids.add(runId + "-" + seq);
            body = mix.event(ids.get(0), null);
        }
        inFlight++;
        attempt(clients, (int) (seq % clients.size()), path, auth, body, ids, options.retries, status -> {
            inFlight--;
            long micros = Math.max(1, (System.nanoTime() - intendedNanos) / 1000);
            interval.recordValue(Math.min(micros, 60_000_000L));
            if (status == 200) {
                okRequests.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            then.run();
        });
    }

    /**
     * One try on instance {@code instance}, and on a 503 or a connection error another on the next instance while
     * tries are left (after Retry-After, or 100 ms); {@code done} gets the last status.
     */
    private void attempt(List<HttpClient> clients, int instance, String path, String auth, String body,
            List<String> ids, int retriesLeft, java.util.function.IntConsumer done) {
        post(clients.get(instance), path, auth, body).onComplete(outcome -> {
            int status = outcome.succeeded() ? outcome.result().status() : -1;
            synchronized (statusCounts) {
                // A refusal is counted with its reason ("503 overloaded"): the answers say why, not only how often.
                String key = status == -1 ? "connection_error"
                        : status == 200 || outcome.result().code() == null ? Integer.toString(status)
                        : status + " " + outcome.result().code();
                statusCounts.merge(key, 1L, Long::sum);
            }
            listener.response(ids, status, System.nanoTime());
            if ((status == 503 || status == -1) && retriesLeft > 0) {
                long delay = status == 503 ? outcome.result().retryAfterMillis() : 100;
                vertx.setTimer(delay, t -> attempt(clients, (instance + 1) % clients.size(), path, auth, body, ids,
                        retriesLeft - 1, done));
            } else {
                done.accept(status);
            }
        });
    }

    /** @param code the problem body's machine-readable reason, for an answer other than 200 */
    private record Answer(int status, long retryAfterMillis, String code) {
    }

    private static String codeOf(int status, Buffer body) {
        if (status == 200) {
            return null;
        }
        Matcher m = CODE.matcher(body.toString());
        return m.find() ? m.group(1) : null;
    }

    private static Future<Answer> post(HttpClient client, String path, String auth, String body) {
        return client.request(HttpMethod.POST, path).compose(request -> request
                .putHeader("Authorization", auth).putHeader("Content-Type", "application/json")
                .send(Buffer.buffer(body))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(),
                        retryAfterMillis(response.getHeader("Retry-After")), codeOf(response.statusCode(), answer)))));
    }

    private static long retryAfterMillis(String header) {
        try {
            return header == null ? 1000 : Math.max(1, Long.parseLong(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    /** A uniquely named event; once ingest said 200, poll the query API until it counts it. */
    private void probe(List<HttpClient> clients, HttpClient queryClient, String auth) {
        if (stopping || options.queryUrl == null) {
            return;
        }
        String name = "probe-" + runId + "-" + UUID.randomUUID().toString().substring(0, 8);
        String messageId = UUID.randomUUID().toString();
        String body = mix.event(messageId, name);
        inFlight++;
        HttpClient client = clients.get((int) (probesSent++ % clients.size()));
        post(client, "/v1/track", auth, body).onComplete(sent -> {
            listener.response(List.of(messageId), sent.succeeded() ? sent.result().status() : -1, System.nanoTime());
            if (sent.failed() || sent.result().status() != 200) {
                inFlight--;
                probesLost.incrementAndGet();
                return;
            }
            long ackNanos = System.nanoTime();
            Instant now = Instant.now();
            URI query = URI.create(options.queryUrl);
            String path = "/v1/projects/" + options.project + "/insights/trends?interval=minute&event="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&from=" + now.minusSeconds(300)
                    + "&to=" + now.plusSeconds(300);
            poll(queryClient, query, path, ackNanos);
        });
    }

    private void poll(HttpClient queryClient, URI query, String path, long ackNanos) {
        queryClient.request(HttpMethod.GET, query.getPort(), query.getHost(), path)
                .compose(request -> request.putHeader("Authorization", "Bearer " + options.readKey)
                        .putHeader("Cache-Control", "no-cache").send()
                        .compose(response -> response.body()))
                .onComplete(answer -> {
                    boolean visible = answer.succeeded() && !answer.result().toString().contains("\"events\":0}");
                    long waited = System.nanoTime() - ackNanos;
                    if (visible) {
                        inFlight--;
                        synchronized (freshness) {
                            freshness.recordValue(Math.max(1, waited / 1000));
                        }
                    } else if (waited > 10_000_000_000L) {
                        inFlight--;
                        probesLost.incrementAndGet();
                    } else {
                        Vertx.currentContext().owner().setTimer(5, t -> poll(queryClient, query, path, ackNanos));
                    }
                });
    }

    private void progress() {
        Histogram last = interval.getIntervalHistogram();
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        if (elapsed > options.warmup.toSeconds() + 0.5) {
            total.add(last);
        }
        long requests = last.getTotalCount();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("second", Math.round(elapsed));
        point.put("requests", requests);
        point.put("events", requests * options.batchSize);
        point.put("errors", errors.get());
        point.put("p50Ms", last.getValueAtPercentile(50) / 1000.0);
        point.put("p99Ms", last.getValueAtPercentile(99) / 1000.0);
        timeline.add(point);
        String fresh;
        synchronized (freshness) {
            fresh = freshness.getTotalCount() == 0 ? "" : String.format("  freshness p50 %.0f ms p99 %.0f ms (%d)",
                    freshness.getValueAtPercentile(50) / 1000.0, freshness.getValueAtPercentile(99) / 1000.0,
                    freshness.getTotalCount());
        }
        System.out.printf("  %4.0fs  %7d req/s  %8d ev/s  errors %d  p50 %.1f ms  p99 %.1f ms%s%n", elapsed, requests,
                requests * options.batchSize, errors.get(), last.getValueAtPercentile(50) / 1000.0,
                last.getValueAtPercentile(99) / 1000.0, fresh);
    }

    private Map<String, Object> result(double seconds) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("label", options.label);
        result.put("tool", "pulse-bench LoadGenerator");
        result.put("started", Instant.now().minusMillis((long) (seconds * 1000)).toString());
        result.put("options", options.describe());
        result.put("seconds", seconds);
        result.put("requests", sentRequests.get());
        result.put("ok", okRequests.get());
        result.put("errors", errors.get());
        result.put("statusCounts", statusCounts);
        result.put("valid", errors.get() == 0);
        result.put("requestsPerSecond", okRequests.get() / seconds);
        result.put("eventsPerSecond", okRequests.get() * options.batchSize / seconds);
        result.put("latencyMs", percentiles(total));
        synchronized (freshness) {
            Map<String, Object> fresh = percentiles(freshness);
            fresh.put("lost", probesLost.get());
            result.put("freshnessMs", fresh);
        }
        result.put("latencyDistributionMs", distribution(total));
        result.put("timeline", timeline);
        return result;
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        for (double q : new double[] {50, 90, 99, 99.9}) {
            p.put("p" + (q == 99.9 ? "999" : Integer.toString((int) q)), h.getValueAtPercentile(q) / 1000.0);
        }
        p.put("max", h.getMaxValue() / 1000.0);
        return p;
    }

    /** Latency at percentiles 0..99.999 for the plot. */
    static List<double[]> distribution(Histogram h) {
        List<double[]> points = new ArrayList<>();
        for (double q : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100}) {
            points.add(new double[] {q, h.getValueAtPercentile(q) / 1000.0});
        }
        return points;
    }

    /** Command-line options, {@code --name=value}. */
    public static final class Options {
        String url = "http://127.0.0.1:8081";
        String key;
        String label = "load";
        int batchSize = 1;
        long rate;
        int connections = 64;
        Duration duration = Duration.ofSeconds(30);
        /** Seconds at the start whose latencies stay out of the totals: both JVMs still compiling. */
        Duration warmup = Duration.ZERO;
        long count;
        int persons = 10_000;
        int propertyBytes = 200;
        int probes;
        String queryUrl;
        String readKey;
        String project;
        String out;
        String writePayloads;
        long seed = 42;
        int retries;

        public static Options parse(String... args) {
            Options o = new Options();
            for (String arg : args) {
                String[] kv = arg.replaceFirst("^--", "").split("=", 2);
                String v = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "url" -> o.url = v;
                    case "key" -> o.key = v;
                    case "label" -> o.label = v;
                    case "mode" -> o.batchSize = v.equals("batch") ? Math.max(o.batchSize, 100) : 1;
                    case "batch-size" -> o.batchSize = Integer.parseInt(v);
                    case "rate" -> o.rate = Long.parseLong(v);
                    case "connections" -> o.connections = Integer.parseInt(v);
                    case "duration" -> o.duration = Duration.parse("PT" + v.toUpperCase());
                    case "warmup" -> o.warmup = Duration.parse("PT" + v.toUpperCase());
                    case "events", "count" -> o.count = Long.parseLong(v);
                    case "persons" -> o.persons = Integer.parseInt(v);
                    case "property-bytes" -> o.propertyBytes = Integer.parseInt(v);
                    case "probes" -> o.probes = Integer.parseInt(v);
                    case "query-url" -> o.queryUrl = v;
                    case "read-key" -> o.readKey = v;
                    case "project" -> o.project = v;
                    case "out" -> o.out = v;
                    case "write-payloads" -> o.writePayloads = v;
                    case "seed" -> o.seed = Long.parseLong(v);
                    case "retries" -> o.retries = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option --" + kv[0]);
                }
            }
            if (o.key == null && o.writePayloads == null) {
                throw new IllegalArgumentException("--key=<write key> is required");
            }
            return o;
        }

        List<String> urls() {
            return List.of(url.split(","));
        }

        Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("url", url);
            d.put("batchSize", batchSize);
            d.put("rate", rate);
            d.put("connections", connections);
            d.put("duration", duration.toString());
            d.put("count", count);
            d.put("persons", persons);
            d.put("propertyBytes", propertyBytes);
            d.put("probesPerSecond", probes);
            d.put("retries", retries);
            d.put("warmupSeconds", warmup.toSeconds());
            return d;
        }
    }
}
