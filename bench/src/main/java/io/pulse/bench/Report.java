package io.pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Turns one suite run's raw outputs (results folder) into summary.json, a Markdown table with each figure's
 * ratio to the reference (Kafka's own producer benchmark on the same machine in the same run), and two charts.
 * Usage: {@code Report <results dir>}. A phase with errors is reported as INVALID, never as a throughput.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b)};

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        ObjectNode summary = JSON.createObjectNode();
        ArrayNode phases = summary.putArray("phases");
        double reference = 0;
        Path producer = dir.resolve("reference-producer.txt");
        if (Files.exists(producer)) {
            ObjectNode ref = producerPerformance(Files.readString(producer));
            reference = ref.path("eventsPerSecond").asDouble();
            phases.add(ref);
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("wrk-") && name.endsWith(".txt")) {
                    phases.add(wrk(name.replace(".txt", ""), Files.readString(file)));
                } else if (name.startsWith("load-") && name.endsWith(".json")) {
                    phases.add(load((ObjectNode) JSON.readTree(file.toFile())));
                } else if (name.startsWith("stage-") && name.endsWith(".json")) {
                    phases.add(JSON.readTree(file.toFile())); // already in the summary's shape (bench/stage-flood.sh)
                }
            }
        }
        Path resources = dir.resolve("resources.tsv");
        if (Files.exists(resources)) {
            ArrayNode usage = summary.putArray("resources");
            for (String line : Files.readAllLines(resources)) {
                String[] f = line.split("\t");
                if (f.length == 4 && !f[0].equals("phase")) {
                    usage.addObject().put("phase", f[0]).put("service", f[1]).put("cpuSeconds", Double.parseDouble(f[2]))
                            .put("maxRssMb", Long.parseLong(f[3]) / 1024);
                }
            }
        }
        summary.put("referenceEventsPerSecond", reference);
        for (JsonNode phase : phases) {
            if (reference > 0 && phase.has("eventsPerSecond")) {
                ((ObjectNode) phase).put("ratioToReference", phase.path("eventsPerSecond").asDouble() / reference);
            }
        }
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        String table = table(summary);
        Files.writeString(dir.resolve("summary.md"), table);
        System.out.println(table);
        latencyChart(phases, dir.resolve("latency.png"));
        throughputChart(phases, dir.resolve("throughput.png"));
        System.out.println("charts: " + dir.resolve("latency.png") + ", " + dir.resolve("throughput.png"));
    }

    static ObjectNode producerPerformance(String output) {
        ObjectNode phase = JSON.createObjectNode().put("phase", "reference: Kafka ProducerPerformance (acks=all)");
        Matcher m = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg "
                + "latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th").matcher(output);
        if (m.find()) {
            phase.put("valid", true).put("eventsPerSecond", Double.parseDouble(m.group(2)))
                    .put("mbPerSecond", Double.parseDouble(m.group(3)))
                    .putObject("latencyMs").put("p50", Double.parseDouble(m.group(6)))
                    .put("p99", Double.parseDouble(m.group(8))).put("max", Double.parseDouble(m.group(5)));
        } else {
            phase.put("valid", false).put("error", "no summary line in the producer output");
        }
        return phase;
    }

    /** wrk's text output; the run id and batch size are in the file name: wrk-<label>-b<size>.txt. */
    static ObjectNode wrk(String label, String output) {
        ObjectNode phase = JSON.createObjectNode().put("phase", label);
        int batch = 1;
        Matcher b = Pattern.compile("-b(\\d+)").matcher(label);
        if (b.find()) {
            batch = Integer.parseInt(b.group(1));
        }
        double rps = number(output, "Requests/sec:\\s+([\\d.]+)");
        long non2xx = (long) number(output, "Non-2xx or 3xx responses:\\s+(\\d+)");
        Matcher socket = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(output);
        long socketErrors = 0;
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                socketErrors += Long.parseLong(socket.group(i));
            }
        }
        phase.put("errors", non2xx + socketErrors).put("valid", non2xx + socketErrors == 0 && rps > 0)
                .put("requestsPerSecond", rps);
        if (!label.contains("query")) { // a query is not an event: no events/s, no ratio to the producer
            phase.put("eventsPerSecond", rps * batch);
        }
        ObjectNode latency = phase.putObject("latencyMs");
        for (String p : new String[] {"50", "90", "99"}) {
            latency.put("p" + p, millis(output, "\\s" + p + "%\\s+([\\d.]+)(us|ms|s)"));
        }
        ArrayNode distribution = phase.putArray("latencyDistributionMs");
        for (String p : new String[] {"50", "75", "90", "99"}) {
            distribution.addArray().add(Double.parseDouble(p)).add(latency.path("p" + p).asDouble(
                    millis(output, "\\s" + p + "%\\s+([\\d.]+)(us|ms|s)")));
        }
        return phase;
    }

    static ObjectNode load(ObjectNode result) {
        ObjectNode phase = JSON.createObjectNode().put("phase", result.path("label").asText());
        phase.put("valid", result.path("valid").asBoolean()).put("errors", result.path("errors").asLong())
                .put("requestsPerSecond", result.path("requestsPerSecond").asDouble())
                .put("eventsPerSecond", result.path("eventsPerSecond").asDouble());
        phase.set("latencyMs", result.path("latencyMs"));
        phase.set("latencyDistributionMs", result.path("latencyDistributionMs"));
        if (result.path("freshnessMs").path("count").asLong() > 0) {
            phase.set("freshnessMs", result.path("freshnessMs"));
        }
        phase.set("timeline", result.path("timeline"));
        phase.set("options", result.path("options"));
        return phase;
    }

    static String table(ObjectNode summary) {
        StringBuilder md = new StringBuilder();
        md.append("| phase | events/s | ratio to reference | requests/s | p50 ms | p99 ms | freshness p50 / p99 ms |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode phase : summary.path("phases")) {
            if (!phase.path("valid").asBoolean()) {
                md.append(String.format("| %s | **INVALID: %s errors** | | | | | |%n", phase.path("phase").asText(),
                        phase.path("errors").asText(phase.path("error").asText("?"))));
                continue;
            }
            JsonNode fresh = phase.path("freshnessMs");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.1f | %s |%n",
                    phase.path("phase").asText(), phase.has("eventsPerSecond") ? String.format(Locale.ROOT, "%,.0f",
                            phase.path("eventsPerSecond").asDouble()) : "",
                    phase.has("ratioToReference") ? String.format(Locale.ROOT, "%.2f", phase.path("ratioToReference")
                            .asDouble()) : "",
                    phase.has("requestsPerSecond") ? String.format(Locale.ROOT, "%,.0f",
                            phase.path("requestsPerSecond").asDouble()) : "",
                    phase.path("latencyMs").path("p50").asDouble(), phase.path("latencyMs").path("p99").asDouble(),
                    fresh.isMissingNode() ? "" : String.format(Locale.ROOT, "%.0f / %.0f",
                            fresh.path("p50").asDouble(), fresh.path("p99").asDouble())));
        }
        for (JsonNode phase : summary.path("phases")) {
            if (phase.has("transactionsPer1000Events")) {
                md.append(String.format(Locale.ROOT, "%nPostgreSQL work per 1,000 events stored: %.2f transactions, %d rows "
                        + "written (events, rollup rows, offsets); one insert per event would be 1,000 transactions and at "
                        + "least 1,000 rows.%n", phase.path("transactionsPer1000Events").asDouble(),
                        phase.path("rowsWrittenPer1000Events").asLong()));
            }
        }
        if (summary.has("resources")) {
            md.append("\n| phase | service | CPU seconds | max RSS MB |\n|---|---|---:|---:|\n");
            for (JsonNode r : summary.path("resources")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d |%n", r.path("phase").asText(),
                        r.path("service").asText(), r.path("cpuSeconds").asDouble(), r.path("maxRssMb").asLong()));
            }
        }
        return md.toString();
    }

    /** Latency against percentile, x on a "nines" scale (0, 90, 99, 99.9 …) as latency spectra are drawn. */
    static void latencyChart(JsonNode phases, Path file) throws IOException {
        List<String> names = new ArrayList<>();
        List<List<double[]>> series = new ArrayList<>();
        for (JsonNode phase : phases) {
            JsonNode dist = phase.path("latencyDistributionMs");
            if (!phase.path("valid").asBoolean() || !dist.isArray() || dist.isEmpty()) {
                continue;
            }
            List<double[]> points = new ArrayList<>();
            for (JsonNode p : dist) {
                double q = Math.min(p.get(0).asDouble(), 99.999);
                points.add(new double[] {-Math.log10(1 - q / 100.0), p.get(1).asDouble()});
            }
            names.add(phase.path("phase").asText());
            series.add(points);
        }
        draw(file, "Request latency by percentile", "percentile (0, 90, 99, 99.9, 99.99)", "latency ms", names,
                series, true);
    }

    static void throughputChart(JsonNode phases, Path file) throws IOException {
        List<String> names = new ArrayList<>();
        List<List<double[]>> series = new ArrayList<>();
        for (JsonNode phase : phases) {
            if (!phase.path("timeline").isArray() || phase.path("timeline").isEmpty()) {
                continue;
            }
            List<double[]> points = new ArrayList<>();
            for (JsonNode p : phase.path("timeline")) {
                points.add(new double[] {p.path("second").asDouble(), p.path("events").asDouble()});
            }
            names.add(phase.path("phase").asText());
            series.add(points);
        }
        draw(file, "Events accepted per second", "seconds", "events/s", names, series, false);
    }

    private static void draw(Path file, String title, String xLabel, String yLabel, List<String> names,
            List<List<double[]>> series, boolean ninesAxis) throws IOException {
        int w = 1000;
        int h = 560;
        int left = 80;
        int right = 260;
        int top = 50;
        int bottom = 60;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double maxX = 1e-9;
        double maxY = 1e-9;
        for (List<double[]> s : series) {
            for (double[] p : s) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        maxY *= 1.1;
        int plotW = w - left - right;
        int plotH = h - top - bottom;
        g.setColor(new Color(0xeeeeee));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - i * plotH / 5;
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,.1f", maxY * i / 5), 8, y + 4);
        }
        if (ninesAxis) {
            String[] labels = {"0", "90", "99", "99.9", "99.99", "99.999"};
            for (int i = 0; i < labels.length && i <= maxX + 0.01; i++) {
                int x = left + (int) (i / maxX * plotW);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(x, top, x, top + plotH);
                g.setColor(Color.DARK_GRAY);
                g.drawString(labels[i], x - 8, top + plotH + 18);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                int x = left + i * plotW / 5;
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%.0f", maxX * i / 5), x - 8, top + plotH + 18);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(xLabel, left + plotW / 2 - 60, h - 20);
        g.drawString(yLabel, 8, top - 10);
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(PALETTE[s % PALETTE.length]);
            int[] xs = new int[series.get(s).size()];
            int[] ys = new int[xs.length];
            for (int i = 0; i < xs.length; i++) {
                double[] p = series.get(s).get(i);
                xs[i] = left + (int) (p[0] / maxX * plotW);
                ys[i] = top + plotH - (int) (p[1] / maxY * plotH);
            }
            g.drawPolyline(xs, ys, xs.length);
            g.fillRect(left + plotW + 15, top + 10 + s * 22, 14, 10);
            g.setColor(Color.BLACK);
            String name = names.get(s);
            g.drawString(name.length() > 34 ? name.substring(0, 34) : name, left + plotW + 35, top + 20 + s * 22);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double millis(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            return 0;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
