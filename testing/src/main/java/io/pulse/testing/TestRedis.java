package io.pulse.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The real Redis the services use ({@code 127.0.0.1:6379} unless {@code pulse.test.redis-port} says otherwise),
 * through a minimal RESP2 client (the test helpers stay free of a Redis library): pipelined commands, a scan of
 * every key with its value as text, and stop/start for tests that restart Redis.
 */
public final class TestRedis {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = Integer.getInteger("pulse.test.redis-port", 6379);

    private TestRedis() {
    }

    /** Sends the commands in one pipeline; returns one reply each (String, Long, byte[], List or Error). */
    public static List<Object> pipeline(List<List<String>> commands) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            for (List<String> command : commands) {
                request.write(("*" + command.size() + "\r\n").getBytes(StandardCharsets.UTF_8));
                for (String arg : command) {
                    byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                    request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                    request.write(bytes);
                    request.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            out.write(request.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            List<Object> replies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                replies.add(read(in));
            }
            return replies;
        }
    }

    public static Object command(String... args) throws IOException {
        return pipeline(List.of(List.of(args))).get(0);
    }

    /** An error reply. */
    public record Error(String message) {
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                line(in);
                return bytes;
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    /** A reply flattened to text; binary values (HyperLogLogs) byte for byte as ISO-8859-1. */
    public static String text(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof List<?> items) {
            StringBuilder text = new StringBuilder();
            for (Object item : items) {
                text.append(text(item)).append('\n');
            }
            return text.toString();
        }
        return String.valueOf(reply);
    }

    /**
     * Every key (SCAN), with its whole value as text for the types the services use: strings (and HyperLogLogs),
     * hashes, lists, sets, sorted sets with scores, streams.
     *
     * @return the number of keys visited
     */
    public static long scanAll(BiConsumer<String, String> keyAndValue) throws IOException {
        String cursor = "0";
        long keys = 0;
        do {
            @SuppressWarnings("unchecked")
            List<Object> page = (List<Object>) command("SCAN", cursor, "COUNT", "1000");
            cursor = text(page.get(0));
            List<String> names = ((List<?>) page.get(1)).stream().map(TestRedis::text).toList();
            if (names.isEmpty()) {
                continue;
            }
            List<Object> types = pipeline(names.stream().map(k -> List.of("TYPE", k)).toList());
            List<List<String>> reads = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                String key = names.get(i);
                reads.add(switch (text(types.get(i))) {
                    case "string" -> List.of("GET", key);
                    case "hash" -> List.of("HGETALL", key);
                    case "list" -> List.of("LRANGE", key, "0", "-1");
                    case "set" -> List.of("SMEMBERS", key);
                    case "zset" -> List.of("ZRANGE", key, "0", "-1", "WITHSCORES");
                    case "stream" -> List.of("XRANGE", key, "-", "+");
                    default -> List.of("TYPE", key); // expired meanwhile ("none") or a type no service writes
                });
            }
            List<Object> values = pipeline(reads);
            for (int i = 0; i < names.size(); i++) {
                keyAndValue.accept(names.get(i), text(values.get(i)));
            }
            keys += names.size();
        } while (!cursor.equals("0"));
        return keys;
    }

    public static boolean ping() {
        try {
            return "PONG".equals(command("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    /** SHUTDOWN NOSAVE: Redis is gone, and so is everything it held (as the services' Redis is configured). */
    public static void stop() throws Exception {
        run("redis-cli", "-h", HOST, "-p", Integer.toString(PORT), "shutdown", "nosave");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ping() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (ping()) {
            throw new IllegalStateException("Redis still answers after SHUTDOWN");
        }
    }

    /** Starts Redis as bin/pulse documents it (no persistence), unless it answers already; waits for PONG. */
    public static void start() throws Exception {
        if (ping()) {
            return;
        }
        run("redis-server", "--daemonize", "yes", "--bind", HOST, "--port", Integer.toString(PORT), "--save", "",
                "--appendonly", "no");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ping()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis did not answer 10 s after redis-server");
            }
            Thread.sleep(50);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
    }
}
