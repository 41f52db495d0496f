package org.pgstaging.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scrape of a {@code /metrics} page, read as Prometheus reads the text format: series, labels, values. */
public final class PrometheusText {
    public record Series(String name, Map<String, String> labels, double value) { }

    private final String text;
    private final String contentType;
    private final List<Series> series;

    private PrometheusText(String text, String contentType) {
        this.text = text;
        this.contentType = contentType;
        this.series = parse(text);
    }

    public static PrometheusText scrape(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("GET " + metrics + " answered " + r.statusCode() + ": " + r.body());
        return new PrometheusText(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    public String text() { return text; }

    public String contentType() { return contentType; }

    public List<Series> series() { return series; }

    /** Series of that name whose labels include {@code labels} (name, value, name, value...). */
    public List<Series> find(String name, String... labels) {
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
        return series.stream().filter(s -> s.name().equals(name)
                && want.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())))).toList();
    }

    /** The value of the one series matching; NaN when there is none. */
    public double value(String name, String... labels) {
        List<Series> found = find(name, labels);
        if (found.size() > 1) throw new AssertionError(found.size() + " series match " + name + " " + List.of(labels) + ": " + found);
        return found.isEmpty() ? Double.NaN : found.get(0).value();
    }

    public boolean has(String name) {
        return series.stream().anyMatch(s -> s.name().equals(name));
    }

    private static List<Series> parse(String text) {
        List<Series> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String inside = line.substring(brace + 1, line.lastIndexOf('}'));
                // label values here never hold '",' themselves (servers, kinds, steps, methods)
                for (String pair : inside.split("\",")) {
                    if (pair.isBlank()) continue;
                    int eq = pair.indexOf('=');
                    String v = pair.substring(eq + 1).trim();
                    if (v.startsWith("\"")) v = v.substring(1);
                    if (v.endsWith("\"")) v = v.substring(0, v.length() - 1);
                    labels.put(pair.substring(0, eq).trim(), v);
                }
            } else {
                name = line.substring(0, space);
            }
            String raw = line.substring(space + 1).trim();
            double value = switch (raw) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(raw);
            };
            out.add(new Series(name, labels, value));
        }
        return out;
    }
}
