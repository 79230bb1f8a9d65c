package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.bench.SamplerBenchmark;
import dev.steeropt.studies.store.StorageBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt bench-sampler}: the sampler and storage benchmark of the Optuna reference (§8.2, §8.4), written in
 * the {@code optuna-baseline/v1} shape and printed beside Optuna's measured figures.
 */
@Command(name = "bench-sampler", mixinStandardHelpOptions = true,
        description = {"Benchmark our samplers (branin, hartmann6, steer5; seeds 0-9; 200 trials) and the SQLite "
                + "store, and print the figures beside Optuna's.",
            "Compare in detail with: python3 ../shared/tools/optuna-summarize.py "
                + "../shared/baselines/optuna-baseline-results.json FILE.json"})
public final class BenchSamplerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchSamplerCommand.class);

    @Mixin
    VerbosityMixin verbosity;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "Where to write the results.")
    Path out;

    @Option(names = "--samplers", split = ",", description = "Samplers (default: tpe_default,tpe_multivariate,random;"
            + " with --multi-objective: nsga2,tpe_default,random).")
    List<String> samplers;

    @Option(names = "--objectives", split = ",", description = "Objectives (default: branin,hartmann6,steer5; with"
            + " --multi-objective: zdt1,steer_mo).")
    List<String> objectives;

    @Option(names = "--seeds", defaultValue = "10", description = "Seeds 0..N-1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--n-trials", defaultValue = "200", description = "Trials per run (default: ${DEFAULT-VALUE}).")
    int nTrials;

    @Option(names = "--skip-storage", description = "Skip the SQLite and pruner sections.")
    boolean skipStorage;

    @Option(names = "--baseline", paramLabel = "FILE.json",
            description = "Optuna's results to print beside ours (default: ../shared/baselines/optuna-baseline-results.json "
                    + "next to the repository, if present).")
    Path baseline;

    @Option(names = "--multi-objective", description = "Instead: the two-objective benchmark (nsga2, tpe_default,"
            + " random on zdt1 and steer_mo; hypervolume; seeds 0..N-1) beside Optuna's NSGAIISampler and TPESampler"
            + " run now through --python, with one-sided Mann-Whitney tests.")
    boolean multiObjective;

    @Option(names = "--python", paramLabel = "PATH", description = "--multi-objective: a Python with optuna 5.0.0"
            + " (default: .venv-optuna/bin/python in the repository, if present; else Optuna's side is skipped).")
    Path python;

    @Option(names = "--skip-optuna", description = "--multi-objective: run our samplers only.")
    boolean skipOptuna;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (multiObjective) {
            return callMultiObjective();
        }
        SamplerBenchmark.Options defaults = SamplerBenchmark.Options.defaults();
        List<Integer> seedList = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedList.add(s);
        }
        List<Integer> checkpoints = nTrials >= 200 ? List.of(50, 200) : List.of(Math.min(50, nTrials), nTrials);
        SamplerBenchmark.Options options;
        try {
            options = new SamplerBenchmark.Options(samplers != null ? samplers : defaults.samplers(),
                    objectives != null ? objectives : defaults.objectives(), seedList, nTrials,
                    checkpoints.stream().distinct().toList());
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("Invalid benchmark options", e.getMessage(), "See bench-sampler --help.");
        }
        LOG.info("Sampler benchmark: {} samplers x {} objectives x {} seeds x {} trials", options.samplers().size(),
                options.objectives().size(), seeds, nTrials);
        // One INFO line per finished trial is right for a study, but here it would flood stderr and be timed with tell().
        ch.qos.logback.classic.Logger trialLog =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.steeropt.optimizer");
        if (!VerbosityMixin.verbose()) {
            trialLog.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        ObjectNode result = SamplerBenchmark.run(options);
        if (!skipStorage) {
            LOG.info("Storage benchmark: SQLite ask/tell and MedianPruner decisions");
            Path dir = Files.createTempDirectory("steeropt-bench-storage");
            ObjectNode storage = StorageBenchmark.run(StorageBenchmark.Options.defaults(dir));
            result.set("sqlite", storage.get("sqlite"));
            result.set("pruner", storage.get("pruner"));
        }
        SamplerBenchmark.write(result, out);
        PrintWriter w = spec.commandLine().getOut();
        printSideBySide(w, result, loadBaseline());
        w.println("Results written to " + out);
        return 0;
    }

    private int callMultiObjective() throws IOException {
        List<Integer> seedList = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedList.add(s);
        }
        dev.steeropt.optimizer.bench.MultiObjectiveBenchmark.Options d =
                dev.steeropt.optimizer.bench.MultiObjectiveBenchmark.Options.defaults();
        dev.steeropt.optimizer.bench.MultiObjectiveBenchmark.Options options;
        try {
            options = new dev.steeropt.optimizer.bench.MultiObjectiveBenchmark.Options(
                    samplers != null ? samplers : d.samplers(), objectives != null ? objectives : d.problems(), seedList,
                    nTrials);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("Invalid benchmark options", e.getMessage(), "See bench-sampler --help.");
        }
        if (python != null && !Files.isExecutable(python)) {
            throw UserFacingException.usage("--python " + python + " is not an executable", "it runs Optuna's side",
                    "Pass the venv's bin/python (e.g. .venv-optuna/bin/python), or omit --python.");
        }
        Path py = skipOptuna ? null : python != null ? python : MultiObjectiveBench.defaultPython();
        ch.qos.logback.classic.Logger trialLog =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.steeropt.optimizer");
        if (!VerbosityMixin.verbose()) {
            trialLog.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        LOG.info("Multi-objective benchmark: {} samplers x {} problems x {} seeds x {} trials{}",
                options.samplers().size(), options.problems().size(), seeds, nTrials,
                py == null ? " (Optuna's side skipped: no .venv-optuna; pass --python)" : ", then Optuna via " + py);
        ObjectNode result = MultiObjectiveBench.run(options, py, py == null ? null : MultiObjectiveBench.script());
        SamplerBenchmark.write(result, out);
        PrintWriter w = spec.commandLine().getOut();
        MultiObjectiveBench.print(w, result);
        w.println("Results written to " + out);
        return 0;
    }

    private JsonNode loadBaseline() throws IOException {
        Path p = baseline;
        if (p == null) {
            Path home = Path.of(System.getProperty("steeropt.home", "."));
            p = home.resolve("../shared/baselines/optuna-baseline-results.json").normalize();
            if (!Files.isRegularFile(p)) {
                return null;
            }
        } else if (!Files.isRegularFile(p)) {
            throw UserFacingException.usage("Baseline file " + p + " does not exist", "--baseline names Optuna's results",
                    "Pass the path of optuna-baseline-results.json, or omit --baseline.");
        }
        return new ObjectMapper().readTree(p.toFile());
    }

    static void printSideBySide(PrintWriter w, JsonNode ours, JsonNode baseline) {
        JsonNode master = baseline == null ? null : baseline.path("refs").path("master");
        w.println("| source | sampler | objective | best@200 median [IQR] | DAC basin (steer5) | ms 151-200 mean "
                + "| ours / Optuna master tpe_default |");
        w.println("|---|---|---|---|---|---|---|");
        for (JsonNode row : ours.path("results")) {
            if (row.path("n_trials").asInt() != ours.path("meta").path("n_trials").asInt()) {
                continue;
            }
            String objective = row.path("objective").asText();
            JsonNode ref = master == null ? null : find(master.path("results"), "tpe_default", objective,
                    row.path("n_trials").asInt());
            String ratio = ref == null ? "-" : String.format("%.3f",
                    row.path("ms_per_ask_tell_151_200").asDouble() / ref.path("ms_per_ask_tell_151_200").asDouble());
            w.printf("| steeropt | %s | %s | %.4g [%.2g] | %s | %.3f | %s |%n", row.path("sampler").asText(), objective,
                    row.path("best_median").asDouble(), row.path("best_iqr").asDouble(),
                    row.has("dac_basin_seeds") ? row.path("dac_basin_seeds").asText() + "/" + row.path("n_seeds").asText()
                            : "-", row.path("ms_per_ask_tell_151_200").asDouble(), ratio);
        }
        if (master != null) {
            for (String sampler : List.of("tpe_default", "tpe_independent")) {
                for (String objective : List.of("branin", "hartmann6", "steer5")) {
                    JsonNode ref = find(master.path("results"), sampler, objective, 200);
                    if (ref != null) {
                        long basin = 0;
                        for (JsonNode b : ref.path("best_per_seed")) {
                            basin += b.asDouble() < -0.9 ? 1 : 0;
                        }
                        w.printf("| optuna master | %s | %s | %.4g [%.2g] | %s | %.3f | |%n", sampler, objective,
                                ref.path("best_median").asDouble(), ref.path("best_iqr").asDouble(),
                                objective.equals("steer5") ? basin + "/" + ref.path("best_per_seed").size() : "-",
                                ref.path("ms_per_ask_tell_151_200").asDouble());
                    }
                }
            }
        }
        if (ours.has("sqlite")) {
            w.println();
            w.println("| storage | sampler | ms/trial 151-200 mean (median) | Optuna master SQLite |");
            w.println("|---|---|---|---|");
            for (JsonNode row : ours.path("sqlite")) {
                JsonNode ref = master == null ? null : find(master.path("sqlite"), row.path("sampler").asText(), null, -1);
                w.printf("| SQLite | %s | %.3f (%.3f) | %s |%n", row.path("sampler").asText(),
                        row.path("ms_per_ask_tell_151_200").asDouble(),
                        row.at("/detail_ms/total_151_200/median").asDouble(),
                        ref == null ? "-" : String.format("%.1f", ref.path("ms_per_ask_tell_151_200").asDouble()));
            }
            for (JsonNode row : ours.path("pruner")) {
                JsonNode ref = null;
                if (master != null) {
                    for (JsonNode r : master.path("pruner")) {
                        if (r.path("storage").asText().toLowerCase().contains("sqlite")) {
                            ref = r;
                        }
                    }
                }
                w.printf("| MedianPruner on %s | shouldPrune µs mean (median) | %.1f (%.1f) | %s |%n",
                        row.path("storage").asText("sqlite"), row.at("/us_per_should_prune/mean").asDouble(),
                        row.at("/us_per_should_prune/median").asDouble(),
                        ref == null ? "-" : String.format("%.0f", ref.at("/us_per_should_prune/mean").asDouble()));
            }
        }
    }

    private static JsonNode find(JsonNode rows, String sampler, String objective, int nTrials) {
        for (JsonNode r : rows) {
            if (r.path("sampler").asText().equals(sampler)
                    && (objective == null || r.path("objective").asText().equals(objective))
                    && (nTrials < 0 || r.path("n_trials").asInt() == nTrials)) {
                return r;
            }
        }
        return null;
    }
}
