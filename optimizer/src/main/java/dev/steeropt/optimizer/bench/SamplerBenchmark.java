package dev.steeropt.optimizer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * The sampler benchmark of reference §8: objectives branin, hartmann6 and steer5, seeds, 200 trials, in-memory
 * ask/tell, timing {@code ask() + every suggest + tell()} with {@link System#nanoTime()} (objective excluded). Writes
 * the {@code optuna-baseline/v1} JSON shape, so {@code shared/tools/optuna-summarize.py} prints it beside Optuna's
 * baseline.
 *
 * <pre>{@code
 * ObjectNode json = SamplerBenchmark.run(SamplerBenchmark.Options.defaults());
 * SamplerBenchmark.write(json, Path.of("java.json"));
 * }</pre>
 */
public final class SamplerBenchmark {
    /** numpy's default {@code method='linear'} percentile (Hyndman–Fan 7). */
    private static final Quantile LINEAR = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).withCopy(true);

    /** The samplers the benchmark knows, by the names used in the JSON. */
    public static final Map<String, LongFunction<Sampler>> SAMPLERS = samplers();

    private static Map<String, LongFunction<Sampler>> samplers() {
        Map<String, LongFunction<Sampler>> m = new LinkedHashMap<>();
        m.put("tpe_default", s -> TpeSampler.builder().seed(s).build());
        m.put("tpe_multivariate", s -> TpeSampler.optuna5().seed(s).build());
        m.put("tpe_independent", s -> TpeSampler.optunaIndependent().seed(s).build());
        m.put("random", RandomSampler::new);
        return m;
    }

    /**
     * What to run.
     *
     * @param samplers    names from {@link #SAMPLERS}
     * @param objectives  names from {@link Objectives#NAMES}
     * @param seeds       one run per seed
     * @param nTrials     trials per run (timing windows need >= 200)
     * @param checkpoints trial counts at which the best value is reported (each <= nTrials)
     */
    public record Options(List<String> samplers, List<String> objectives, List<Integer> seeds, int nTrials,
            List<Integer> checkpoints) {
        public Options {
            samplers = List.copyOf(samplers);
            objectives = List.copyOf(objectives);
            seeds = List.copyOf(seeds);
            checkpoints = List.copyOf(checkpoints);
            for (String s : samplers) {
                if (!SAMPLERS.containsKey(s)) {
                    throw new IllegalArgumentException("unknown sampler '" + s + "' (known: " + SAMPLERS.keySet() + ")");
                }
            }
            for (String o : objectives) {
                if (!Objectives.NAMES.contains(o)) {
                    throw new IllegalArgumentException("unknown objective '" + o + "' (known: " + Objectives.NAMES
                            + ")");
                }
            }
            if (seeds.isEmpty() || nTrials < 1) {
                throw new IllegalArgumentException("need at least one seed and nTrials >= 1, got seeds=" + seeds
                        + ", nTrials=" + nTrials);
            }
            for (int c : checkpoints) {
                if (c < 1 || c > nTrials) {
                    throw new IllegalArgumentException("checkpoint " + c + " is outside 1.." + nTrials);
                }
            }
        }

        /** The protocol of §8.2: our default TPE, Optuna-5-style multivariate TPE and random; seeds 0-9; 200 trials. */
        public static Options defaults() {
            return new Options(List.of("tpe_default", "tpe_multivariate", "random"), Objectives.NAMES,
                    List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 200, List.of(50, 200));
        }
    }

    /** Seed of the untimed warm-up run before each (sampler, objective) cell. */
    static final long WARM_UP_SEED = 1_000_003L;
    /** Untimed passes over all cells before any timing (then one more run right before each cell). */
    static final int WARM_UP_PASSES = 3;

    private SamplerBenchmark() {}

    /**
     * Command line: {@code [--seeds N] [--n-trials N] [--samplers a,b] [--objectives x,y] --out FILE.json}. Prints one
     * line per row (best median, IQR, ms per ask+tell) and writes the JSON for {@code optuna-summarize.py}.
     */
    public static void main(String[] args) throws IOException {
        Options d = Options.defaults();
        List<String> samplers = d.samplers();
        List<String> objectives = d.objectives();
        int seeds = d.seeds().size();
        int nTrials = d.nTrials();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--n-trials" -> nTrials = Integer.parseInt(v);
                case "--samplers" -> samplers = List.of(v.split(","));
                case "--objectives" -> objectives = List.of(v.split(","));
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "' (known: --seeds, "
                        + "--n-trials, --samplers, --objectives, --out)");
            }
            i++;
        }
        List<Integer> seedList = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            seedList.add(s);
        }
        List<Integer> checkpoints = new ArrayList<>();
        for (int c : d.checkpoints()) {
            if (c <= nTrials) {
                checkpoints.add(c);
            }
        }
        ObjectNode json = run(new Options(samplers, objectives, seedList, nTrials, checkpoints));
        System.out.printf("load average: %.2f at start, %.2f at end (%d CPUs)%n",
                json.get("meta").get("load_average_at_start").asDouble(),
                json.get("meta").get("load_average_at_end").asDouble(), Runtime.getRuntime().availableProcessors());
        for (com.fasterxml.jackson.databind.JsonNode r : json.get("results")) {
            System.out.printf("%-17s %-10s N=%-4d best median %9.4f IQR %7.4f  ms 1-50 %6.3f  ms 151-200 %s%n",
                    r.get("sampler").asText(), r.get("objective").asText(), r.get("n_trials").asInt(),
                    r.get("best_median").asDouble(), r.get("best_iqr").asDouble(),
                    r.path("ms_per_ask_tell_1_50").asDouble(Double.NaN),
                    r.has("ms_per_ask_tell_151_200") ? String.format("%6.3f (median %6.3f; CPU mean %6.3f)",
                            r.get("ms_per_ask_tell_151_200").asDouble(),
                            r.get("timing_detail_ms").get("total_151_200").get("median").asDouble(),
                            r.get("timing_detail_ms").get("cpu_total_151_200").get("mean").asDouble()) : "-");
        }
        if (out != null) {
            write(json, out);
        }
    }

    /** Runs every (sampler, objective, seed) sequentially and returns the result document. */
    public static ObjectNode run(Options o) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", "optuna-baseline/v1");
        ObjectNode meta = root.putObject("meta");
        meta.put("ref", "steeropt-java");
        ObjectNode versions = meta.putObject("versions");
        versions.put("java", System.getProperty("java.version"));
        versions.put("optuna", "steeropt optimizer (Java port)");
        ObjectNode cpu = meta.putObject("cpu");
        cpu.put("nproc", Runtime.getRuntime().availableProcessors());
        cpu.put("platform", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        meta.put("date", Instant.now().toString());
        ArrayNode seedArr = meta.putArray("seeds");
        o.seeds().forEach(seedArr::add);
        meta.put("n_trials", o.nTrials());
        ArrayNode cps = meta.putArray("checkpoints");
        o.checkpoints().forEach(cps::add);
        meta.put("jobs", 1);
        meta.put("timing_note", "ms_per_ask_tell = study.ask() + all trial.suggest*() + study.tell(), objective "
                + "excluded, System.nanoTime; '1_50' = trial numbers 0-49, '151_200' = 150-199; mean over all seeds' "
                + "trials in the window. N=50 rows are the 50-trial prefix of the 200-trial runs. Warm: one untimed "
                + "run of every cell " + WARM_UP_PASSES + " times, then one more right before each cell (seeds from "
                + WARM_UP_SEED + ").");
        meta.put("load_average_at_start", loadAverage());
        meta.put("sampler_defaults_note", "tpe_default = TpeSampler.builder() (multivariate, conditional "
                + "categorical strategy); tpe_multivariate = TpeSampler.optuna5() (Optuna 5.0's joint multivariate "
                + "TPE with constant liar); random = RandomSampler.");
        long started = System.nanoTime();
        ObjectNode objectives = root.putObject("objectives");
        for (String name : o.objectives()) {
            Objectives.describe(name, objectives.putObject(name));
        }
        ArrayNode results = root.putArray("results");
        // Untimed warm-up passes over every cell first: with only one run right before each cell, the JIT had not
        // finished compiling the hot path for the first cells, which then ran slower than the same cell later.
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            for (String sampler : o.samplers()) {
                for (String objective : o.objectives()) {
                    runOnce(sampler, objective, WARM_UP_SEED + pass, o.nTrials(), List.of());
                }
            }
        }
        for (String sampler : o.samplers()) {
            for (String objective : o.objectives()) {
                runCell(sampler, objective, o, results);
            }
        }
        meta.putObject("elapsed_s").put("samplers", (System.nanoTime() - started) / 1e9);
        meta.put("load_average_at_end", loadAverage());
        return root;
    }

    /** The 1-minute system load average (timings on a loaded machine are inflated), or -1 if unavailable. */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Writes {@code result} as indented JSON to {@code out}, creating parent directories. */
    public static void write(ObjectNode result, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    }

    /** One run: per-trial best-so-far values, timings (ms) and the best params at each checkpoint. */
    /** One run; {@code cpuMs} is the benchmark thread's CPU time for ask + suggest + tell (blind to run-queue waits). */
    record Run(double[] bestSoFar, double[] askSuggestMs, double[] tellMs, double[] cpuMs,
            List<Map<String, Object>> bestParams) {}

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    static Run runOnce(String sampler, String objective, long seed, int nTrials, List<Integer> checkpoints) {
        Study study = Study.builder().sampler(SAMPLERS.get(sampler).apply(seed)).pruner(new NopPruner()).create();
        double[] best = new double[nTrials];
        double[] askMs = new double[nTrials];
        double[] tellMs = new double[nTrials];
        List<Map<String, Object>> bestParams = new ArrayList<>();
        double bestV = Double.POSITIVE_INFINITY;
        Map<String, Object> bestP = null;
        double[] cpuMs = new double[nTrials];
        boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
        for (int i = 0; i < nTrials; i++) {
            // CPU clock reads sit outside the wall-clock windows so they do not inflate them.
            long c0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            Trial trial = study.ask();
            double[] x = Objectives.suggest(objective, trial);
            long t1 = System.nanoTime();
            long c1 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
            double v = Objectives.evaluate(objective, x);
            long c2 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
            long t2 = System.nanoTime();
            FrozenTrial done = study.tell(trial, v);
            long t3 = System.nanoTime();
            long c3 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
            askMs[i] = (t1 - t0) / 1e6;
            tellMs[i] = (t3 - t2) / 1e6;
            cpuMs[i] = cpu ? ((c1 - c0) + (c3 - c2)) / 1e6 : Double.NaN;
            if (v < bestV) {
                bestV = v;
                bestP = done.params();
            }
            best[i] = bestV;
            if (checkpoints.contains(i + 1)) {
                bestParams.add(bestP);
            }
        }
        return new Run(best, askMs, tellMs, cpuMs, bestParams);
    }

    private static void runCell(String sampler, String objective, Options o, ArrayNode results) {
        int nSeeds = o.seeds().size();
        // Untimed warm-up run (seed not in the protocol) so the JIT has compiled the hot path before timing starts,
        // as Optuna's figures are measured warm too.
        runOnce(sampler, objective, WARM_UP_SEED, o.nTrials(), List.of());
        List<Run> runs = new ArrayList<>();
        for (int seed : o.seeds()) {
            runs.add(runOnce(sampler, objective, seed, o.nTrials(), o.checkpoints()));
        }
        for (int ci = 0; ci < o.checkpoints().size(); ci++) {
            int n = o.checkpoints().get(ci);
            double[] bests = new double[nSeeds];
            for (int s = 0; s < nSeeds; s++) {
                bests[s] = runs.get(s).bestSoFar()[n - 1];
            }
            ObjectNode row = results.addObject();
            row.put("sampler", sampler);
            row.put("objective", objective);
            row.put("n_trials", n);
            row.put("n_seeds", nSeeds);
            double med = LINEAR.evaluate(bests, 0.5);
            double q25 = LINEAR.evaluate(bests, 0.25);
            double q75 = LINEAR.evaluate(bests, 0.75);
            row.put("best_median", med);
            row.put("best_iqr", q75 - q25);
            ObjectNode b = row.putObject("best");
            b.put("median", med);
            b.put("q25", q25);
            b.put("q75", q75);
            b.put("iqr", q75 - q25);
            b.put("mean", Arrays.stream(bests).average().orElse(Double.NaN));
            b.put("min", Arrays.stream(bests).min().orElse(Double.NaN));
            b.put("max", Arrays.stream(bests).max().orElse(Double.NaN));
            ArrayNode per = row.putArray("best_per_seed");
            for (double v : bests) {
                per.add(v);
            }
            ArrayNode pp = row.putArray("best_params_per_seed");
            for (Run r : runs) {
                pp.addPOJO(r.bestParams().get(ci));
            }
            row.put("regret_median", med - Objectives.optimum(objective));
            if (objective.equals("steer5")) {
                row.put("dac_basin_seeds", Arrays.stream(bests).filter(v -> v < -0.9).count());
            }
            if (n >= 50) {
                row.put("ms_per_ask_tell_1_50", window(runs, 0, 50, true).mean);
            }
            if (n >= 200) {
                row.put("ms_per_ask_tell_151_200", window(runs, 150, 200, true).mean);
                ObjectNode td = row.putObject("timing_detail_ms");
                stats(td.putObject("ask_and_suggest_1_50"), collect(runs, 0, 50, Run::askSuggestMs));
                stats(td.putObject("ask_and_suggest_151_200"), collect(runs, 150, 200, Run::askSuggestMs));
                stats(td.putObject("tell_1_50"), collect(runs, 0, 50, Run::tellMs));
                stats(td.putObject("tell_151_200"), collect(runs, 150, 200, Run::tellMs));
                stats(td.putObject("total_1_50"), totals(runs, 0, 50));
                stats(td.putObject("total_151_200"), totals(runs, 150, 200));
                stats(td.putObject("cpu_total_1_50"), collect(runs, 0, 50, Run::cpuMs));
                stats(td.putObject("cpu_total_151_200"), collect(runs, 150, 200, Run::cpuMs));
            }
        }
    }

    private record Stat(double mean) {}

    private static Stat window(List<Run> runs, int from, int to, boolean total) {
        double[] t = totals(runs, from, to);
        return new Stat(Arrays.stream(t).average().orElse(Double.NaN));
    }

    private static double[] totals(List<Run> runs, int from, int to) {
        double[] out = new double[runs.size() * (to - from)];
        int k = 0;
        for (Run r : runs) {
            for (int i = from; i < to; i++) {
                out[k++] = r.askSuggestMs()[i] + r.tellMs()[i];
            }
        }
        return out;
    }

    private static double[] collect(List<Run> runs, int from, int to, java.util.function.Function<Run, double[]> f) {
        double[] out = new double[runs.size() * (to - from)];
        int k = 0;
        for (Run r : runs) {
            double[] a = f.apply(r);
            for (int i = from; i < to; i++) {
                out[k++] = a[i];
            }
        }
        return out;
    }

    private static void stats(ObjectNode n, double[] v) {
        n.put("mean", Arrays.stream(v).average().orElse(Double.NaN));
        n.put("median", LINEAR.evaluate(v, 0.5));
        n.put("p95", LINEAR.evaluate(v, 0.95));
    }

    /** The benchmark objectives of reference §8.2 (all minimised, deterministic). */
    public static final class Objectives {
        public static final List<String> NAMES = List.of("branin", "hartmann6", "steer5");

        private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
        private static final double[][] H_A = {
            {10, 3, 17, 3.5, 1.7, 8},
            {0.05, 10, 17, 0.1, 8, 14},
            {3, 3.5, 1.7, 10, 17, 8},
            {17, 8, 0.05, 10, 0.1, 14}};
        private static final double[][] H_P = {
            {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
            {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
            {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
            {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
        private static final List<String> METHODS = List.of("CAA", "DAC");

        private Objectives() {}

        /** Suggests the objective's params in the protocol's order; returns them as numbers (method as its index). */
        public static double[] suggest(String name, Trial t) {
            switch (name) {
                case "branin" -> {
                    return new double[] {t.suggestFloat("x1", -5, 10), t.suggestFloat("x2", 0, 15)};
                }
                case "hartmann6" -> {
                    double[] x = new double[6];
                    for (int i = 0; i < 6; i++) {
                        x[i] = t.suggestFloat("x" + i, 0, 1);
                    }
                    return x;
                }
                case "steer5" -> {
                    double layer = t.suggestInt("layer", 0, 23);
                    double alpha = t.suggestFloat("alpha", -4, 4);
                    double method = METHODS.indexOf(t.suggestCategorical("method", METHODS));
                    double temperature = t.suggestFloat("temperature", 0, 1);
                    double lr = t.suggestFloat("lr", 1e-4, 1e-1, true);
                    return new double[] {layer, alpha, method, temperature, lr};
                }
                default -> throw new IllegalArgumentException("unknown objective '" + name + "' (known: " + NAMES
                        + ")");
            }
        }

        /** The objective value at {@code x} as returned by {@link #suggest}. */
        public static double evaluate(String name, double[] x) {
            Objects.requireNonNull(x, "x");
            switch (name) {
                case "branin" -> {
                    double a = 1;
                    double b = 5.1 / (4 * Math.PI * Math.PI);
                    double c = 5 / Math.PI;
                    double r = 6;
                    double s = 10;
                    double t = 1 / (8 * Math.PI);
                    double u = x[1] - b * x[0] * x[0] + c * x[0] - r;
                    return a * u * u + s * (1 - t) * Math.cos(x[0]) + s;
                }
                case "hartmann6" -> {
                    double sum = 0;
                    for (int i = 0; i < 4; i++) {
                        double inner = 0;
                        for (int j = 0; j < 6; j++) {
                            double d = x[j] - H_P[i][j];
                            inner += H_A[i][j] * d * d;
                        }
                        sum += H_ALPHA[i] * Math.exp(-inner);
                    }
                    return -sum;
                }
                case "steer5" -> {
                    boolean dac = x[2] == 1.0;
                    double amp = dac ? 1.0 : 0.85;
                    double l0 = dac ? 9 : 13;
                    double w = dac ? 3 : 4;
                    double am = dac ? 1.5 : 2.5;
                    double z = (x[0] - l0) / w;
                    double h = (x[1] / am) * Math.exp(1 - Math.abs(x[1]) / am);
                    double lrTerm = Math.log10(x[4]) - Math.log10(3e-3);
                    return -amp * Math.exp(-0.5 * z * z) * h + 0.5 * (x[3] - 0.3) * (x[3] - 0.3) + 0.1 * lrTerm * lrTerm;
                }
                default -> throw new IllegalArgumentException("unknown objective '" + name + "'");
            }
        }

        /** The known global minimum. */
        public static double optimum(String name) {
            return switch (name) {
                case "branin" -> 0.39788735772973816;
                case "hartmann6" -> -3.3223680114155147;
                case "steer5" -> -1.0;
                default -> throw new IllegalArgumentException("unknown objective '" + name + "'");
            };
        }

        static void describe(String name, ObjectNode n) {
            switch (name) {
                case "branin" -> {
                    n.put("dim", 2);
                    n.putObject("space").put("x1", "float[-5,10]").put("x2", "float[0,15]");
                }
                case "hartmann6" -> {
                    n.put("dim", 6);
                    ObjectNode s = n.putObject("space");
                    for (int i = 0; i < 6; i++) {
                        s.put("x" + i, "float[0,1]");
                    }
                }
                default -> {
                    n.put("dim", 5);
                    n.putObject("space").put("layer", "int[0,23]").put("alpha", "float[-4,4]")
                            .put("method", "categorical{CAA,DAC}").put("temperature", "float[0,1]")
                            .put("lr", "float[1e-4,1e-1] log");
                }
            }
            n.put("optimum", optimum(name));
        }
    }
}
