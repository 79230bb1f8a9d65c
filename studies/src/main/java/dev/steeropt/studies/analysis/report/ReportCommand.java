package dev.steeropt.studies.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.cli.Main;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Series;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze report}: the reasoning-direction study end to end. Runs each analysis of the preset that
 * this build has ({@link ReportStep}: directions, sweep, ablation, patching, probes, logit lens, CKA, variability) as
 * its own {@code analyze} command into {@code --out/<command>}, then writes one self-contained {@code report.html}
 * ({@link ReportHtml}: every summary and image embedded) and {@code summary.png} (probe accuracy per layer,
 * direction similarities and the CKA diagonal on one chart).
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the analyses of a preset (directions, sweep, ablate, patch, probes, logit-lens, cka,"
                + " variability; whichever this build has) and write one self-contained report.html plus summary.png."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "quick|full|layers",
            description = "quick: every layer, small samples; full: larger probes and samples; layers: quick on --layers only.")
    String preset;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "demo-hasty", description = "Model A (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--versus", paramLabel = "MODEL", description = "Model B, of A's shape (the cross-model analyses need it).")
    String versus;

    @Option(names = "--layers", paramLabel = "SPEC", description = "Decoder blocks (all, a-b, a,b,c); required by --preset layers (default: all).")
    String layers;

    @Option(names = "--n", paramLabel = "N", defaultValue = "100", description = "Items evaluated per analysis (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the items (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/analyze-report", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--jobs", paramLabel = "J", defaultValue = "1", description = "Analyses run at once, each in its own"
            + " thread with its own models (default: ${DEFAULT-VALUE}).")
    int jobs;

    /** One step's outcome. */
    record Outcome(ReportStep step, String status, int exitCode, double seconds, String summary, String errors, Path dir) {}

    @Override
    public Integer call() {
        ReportPreset p = ReportPreset.parse(preset);
        if (p == ReportPreset.LAYERS && layers == null) {
            throw UserFacingException.usage("--preset layers needs --layers", "it restricts every analysis to a layer range",
                    "Pass e.g. --layers 1-2.");
        }
        if (n < 1) {
            throw UserFacingException.usage("Invalid --n " + n, "every analysis needs at least one item", "Pass --n 1 or more.");
        }
        Path dir = out.toAbsolutePath().normalize();
        PrintWriter err = spec.commandLine().getErr();
        Set<String> available = Main.newCommandLine().getSubcommands().get("analyze").getSubcommands().keySet();
        if (jobs < 1) {
            throw UserFacingException.usage("Invalid --jobs " + jobs, "at least one analysis runs at a time", "Pass --jobs 1 or more.");
        }
        List<ReportStep> steps = ReportStep.of(p, versus, n);
        List<java.util.concurrent.Future<Outcome>> futures = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        long t0 = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(jobs);
        try {
            for (ReportStep s : steps) {
                int k = seen.merge(s.command(), 1, Integer::sum);
                Path stepDir = dir.resolve(s.command() + (k > 1 ? "-" + (k - 1) : ""));
                futures.add(pool.submit(() -> runStep(s, stepDir, available, err)));
            }
        } finally {
            pool.shutdown();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (java.util.concurrent.Future<Outcome> f : futures) {
            try {
                outcomes.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the report's analyses ran", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("an analysis of the report crashed: " + e.getCause(), e.getCause());
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        AnalysisOutput output = new AnalysisOutput(dir, spec.commandLine().getOut());
        List<String> notes = new ArrayList<>();
        JFreeChart summary = summaryChart(outcomes, title(p), notes);
        output.plot("summary.png", summary);
        try {
            Files.writeString(output.wrote("report.html"), ReportHtml.render(title(p), outcomes, summary, notes, total));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report.html in " + dir, e);
        }
        for (Outcome o : outcomes) {
            output.line("%-12s %-26s %6.1f s", o.step().command(), o.status(), o.seconds());
        }
        output.line("total %.1f s", total);
        output.done();
        return outcomes.stream().anyMatch(o -> o.exitCode() != 0) ? 1 : 0;
    }

    /** Runs one step (or says why not) with its own output writers. */
    private Outcome runStep(ReportStep s, Path stepDir, Set<String> available, PrintWriter err) {
        if (!available.contains(s.command())) {
            return new Outcome(s, "not in this build", 0, 0, "", "", stepDir);
        }
        if (s.needsB() && versus == null) {
            return new Outcome(s, "skipped: needs --versus", 0, 0, "", "", stepDir);
        }
        List<String> args = arguments(s, stepDir);
        synchronized (err) {
            err.println("report: analyze " + String.join(" ", args.subList(1, args.size())));
            err.flush();
        }
        StringWriter so = new StringWriter();
        StringWriter se = new StringWriter();
        long s0 = System.nanoTime();
        int code = Main.execute(new PrintWriter(so, true), new PrintWriter(se, true), args.toArray(String[]::new));
        double secs = (System.nanoTime() - s0) / 1e9;
        synchronized (err) {
            err.printf(java.util.Locale.ROOT, "report: %s %s in %.1f s%n", s.command(), code == 0 ? "done" : "FAILED", secs);
            err.flush();
        }
        return new Outcome(s, code == 0 ? "ok" : "failed (exit " + code + ")", code, secs, so.toString(), errorLines(se.toString()),
                stepDir);
    }

    private String title(ReportPreset p) {
        return "SteerOpt analysis report (" + p.wireName() + "): " + model + (versus == null ? "" : " vs " + versus) + ", n = " + n
                + (layers == null ? "" : ", layers " + layers);
    }

    private List<String> arguments(ReportStep s, Path stepDir) {
        List<String> a = new ArrayList<>(List.of("analyze", s.command()));
        a.addAll(List.of("--model", model));
        if (layers != null) {
            a.addAll(List.of("--layers", layers));
        }
        if (!s.args().contains("--n")) {
            a.addAll(List.of("--n", Integer.toString(n)));
        }
        a.addAll(List.of("--seed", Long.toString(seed), "--out", stepDir.toString()));
        a.addAll(s.args());
        return a;
    }

    private static String errorLines(String stderr) {
        StringBuilder sb = new StringBuilder();
        for (String line : stderr.split("\n")) {
            if (line.startsWith("Error") || line.startsWith("WARNING") || line.contains("Exception")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** Probe accuracy per layer (each model), direction similarity per layer and the CKA diagonal, on one chart. */
    static JFreeChart summaryChart(List<Outcome> outcomes, String title, List<String> notes) {
        ObjectMapper json = new ObjectMapper();
        List<Series> series = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.exitCode() != 0 || !"ok".equals(o.status())) {
                continue;
            }
            try {
                switch (o.step().command()) {
                    case "probes" -> {
                        JsonNode r = json.readTree(o.dir().resolve("probes.json").toFile());
                        for (JsonNode m : r.get("models")) {
                            series.add(perLayer("probe accuracy, " + m.get("label").asText() + " (" + m.get("model").asText() + ")",
                                    m.get("overall").get("layers"), "layer", "accuracy"));
                        }
                    }
                    case "directions" -> {
                        JsonNode r = json.readTree(o.dir().resolve("directions.json").toFile());
                        boolean cross = r.get("layers").get(0).hasNonNull("within_vs_cross_cosine");
                        series.add(perLayer(cross ? "cosine(within-model, cross-model direction)" : "cosine(direction, next layer's)",
                                r.get("layers"), "layer", cross ? "within_vs_cross_cosine" : "cosine_next"));
                    }
                    case "cka" -> {
                        JsonNode r = json.readTree(o.dir().resolve("cka.json").toFile());
                        JsonNode lin = r.get("linear");
                        if (lin != null) {
                            List<Integer> la = ints(r.get("layers_a"));
                            List<Integer> lb = ints(r.get("layers_b"));
                            double[][] m = new double[la.size()][lb.size()];
                            for (int i = 0; i < la.size(); i++) {
                                for (int j = 0; j < lb.size(); j++) {
                                    m[i][j] = lin.get(i).get(j).asDouble();
                                }
                            }
                            double[][] d = dev.steeropt.studies.analysis.cka.CkaCommand.diagonal(m, la, lb);
                            series.add(new Series("linear CKA, layer i vs i", d[0], d[1]));
                        }
                    }
                    default -> { }
                }
            } catch (IOException | RuntimeException e) {
                notes.add("summary.png leaves out " + o.step().command() + ": its JSON in " + o.dir() + " cannot be read (" + e + ")");
            }
        }
        JFreeChart c = Charts.line(title, "layer (blocks.{i}.hook_resid_post)", "accuracy / cosine / CKA", series);
        Charts.integerX(c);
        return c;
    }

    private static Series perLayer(String name, JsonNode rows, String xField, String yField) {
        List<double[]> pts = new ArrayList<>();
        for (JsonNode r : rows) {
            if (r.hasNonNull(yField)) {
                pts.add(new double[] {r.get(xField).asDouble(), r.get(yField).asDouble()});
            }
        }
        double[] x = pts.stream().mapToDouble(v -> v[0]).toArray();
        double[] y = pts.stream().mapToDouble(v -> v[1]).toArray();
        return new Series(name, x, y);
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asInt()));
        return out;
    }
}
