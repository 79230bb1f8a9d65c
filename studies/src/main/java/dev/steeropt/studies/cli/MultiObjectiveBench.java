package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.eval.stats.MannWhitney;
import dev.steeropt.optimizer.bench.MultiObjectiveBenchmark;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench-sampler --multi-objective}: our NSGA-II and TPE ({@link MultiObjectiveBenchmark}) and Optuna's
 * NSGAIISampler and TPESampler ({@code studies/tools/optuna-mo-bench.py}, run here in the same session) on the same
 * problems and seeds, printed side by side with a one-sided Mann-Whitney U test over the seeds each way.
 */
final class MultiObjectiveBench {
    /** Our sampler beside the Optuna sampler it is compared with. */
    static final Map<String, String> PAIRS = Map.of("nsga2", "optuna_nsga2", "nsga2_uniform", "optuna_nsga2",
            "tpe_default", "optuna_tpe",
            "tpe_independent", "optuna_tpe");

    private MultiObjectiveBench() {}

    /** Runs both sides; returns {"steeropt": ..., "optuna": ... or absent}. */
    static ObjectNode run(MultiObjectiveBenchmark.Options o, Path python, Path script) throws IOException {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.set("steeropt", MultiObjectiveBenchmark.run(o));
        if (python != null) {
            ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), Integer.toString(o.nTrials()),
                    Integer.toString(o.seeds().size())).redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
                    throw UserFacingException.runtime("Optuna's side of the benchmark failed", python + " " + script
                            + " exited with " + p.exitValue(), "Check that the venv has optuna 5.0.0 and scipy.", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroy();
                throw UserFacingException.runtime("Interrupted while Optuna ran", null, null, e);
            }
            root.set("optuna", new ObjectMapper().readTree(text));
        }
        return root;
    }

    /** The side-by-side table: per problem and sampler, median [IQR] hypervolume, and the tests against Optuna. */
    static void print(PrintWriter w, JsonNode both) {
        JsonNode ours = both.get("steeropt");
        JsonNode theirs = both.get("optuna");
        w.printf(Locale.ROOT, "Multi-objective: hypervolume after %d trials, %d seeds (both objectives minimised;"
                + " reference points: %s); load average %.2f -> %.2f%n", ours.at("/meta/n_trials").asInt(),
                ours.at("/meta/seeds").size(), ours.get("problems").toString(),
                ours.at("/meta/load_average_at_start").asDouble(), ours.at("/meta/load_average_at_end").asDouble());
        w.println("| problem | sampler | HV median [IQR] | Optuna's | Optuna HV median [IQR] | p (ours worse) |"
                + " p (ours better) |");
        w.println("|---|---|---|---|---|---|---|");
        for (JsonNode row : ours.get("results")) {
            double[] a = values(row.get("hypervolume_per_seed"));
            String problem = row.get("problem").asText();
            String sampler = row.get("sampler").asText();
            String pair = PAIRS.get(sampler);
            JsonNode ref = theirs == null || pair == null ? null : find(theirs, pair, problem);
            if (ref == null) {
                w.printf(Locale.ROOT, "| %s | %s | %s | - | - | - | - |%n", problem, sampler, summary(a));
                continue;
            }
            double[] b = values(ref.get("hypervolume_per_seed"));
            // larger hypervolume is better: "ours worse" = ours stochastically smaller
            double worse = MannWhitney.less(a, b).pValue();
            double better = MannWhitney.less(b, a).pValue();
            w.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %.3g%s | %.3g%s |%n", problem, sampler, summary(a), pair,
                    summary(b), worse, worse < 0.05 ? " (worse)" : "", better, better < 0.05 ? " (better)" : "");
        }
        if (theirs == null) {
            w.println("(Optuna's side not run: pass --python PATH to a Python with optuna 5.0.0, e.g. .venv-optuna)");
        } else {
            w.printf(Locale.ROOT, "Optuna %s ran in %.1f s (load average %.2f at its start); ours in %.1f s%n",
                    theirs.at("/meta/optuna").asText(), theirs.at("/meta/elapsed_s").asDouble(),
                    theirs.at("/meta/load_average_at_start").asDouble(), ours.at("/meta/elapsed_s").asDouble());
        }
    }

    private static JsonNode find(JsonNode doc, String sampler, String problem) {
        for (JsonNode r : doc.get("results")) {
            if (r.get("sampler").asText().equals(sampler) && r.get("problem").asText().equals(problem)) {
                return r;
            }
        }
        return null;
    }

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static String summary(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return String.format(Locale.ROOT, "%.4f [%.4f]", quantile(s, 0.5), quantile(s, 0.75) - quantile(s, 0.25));
    }

    /** numpy's linear percentile of sorted {@code s}. */
    private static double quantile(double[] s, double q) {
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** The default Python: ../.venv-optuna next to the launcher's home, if present. */
    static Path defaultPython() {
        Path home = Path.of(System.getProperty("steeropt.home", "."));
        Path p = home.resolve(".venv-optuna/bin/python");
        return Files.isExecutable(p) ? p : null;
    }

    /** The Optuna script in the repository. */
    static Path script() {
        Path home = Path.of(System.getProperty("steeropt.home", "."));
        for (Path p : List.of(home.resolve("studies/tools/optuna-mo-bench.py"), home.resolve("tools/optuna-mo-bench.py"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw UserFacingException.usage("studies/tools/optuna-mo-bench.py not found under " + home.toAbsolutePath(),
                "Optuna's side of the benchmark is that script", "Run bench-sampler from the repository (./steeropt).");
    }
}
