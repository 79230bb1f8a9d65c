package dev.steeropt.studies.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.optimizer.bench.SamplerBenchmark;
import dev.steeropt.optimizer.pruners.MedianPruner;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * The SQLite part of the Optuna baseline (reference §8.4), on {@link dev.steeropt.studies.store.jdbc.JdbcTrialStore}:
 * <ul>
 *   <li>{@code sqlite[]}: steer5 with {@code tpe_default} and {@code random}, seeds 0-2, 200 trials each, one SQLite
 *       file per run in the system temp directory; per trial the time of ask + 5 suggests and of tell (the objective
 *       is excluded), reported for trials 1-50 and 151-200 (mean, median, p95), and whether the trajectory equals
 *       the in-memory store's for the same seed;</li>
 *   <li>{@code pruner[]}: MedianPruner with default settings, RandomSampler on steer5, 50 trials × 20 steps, seed 0;
 *       the learning curve is {@code f + 1.5·exp(-step/6) + 0.02·sin(step + trial)}; report + shouldPrune at every
 *       step, a pruned trial stops; the time of each {@code shouldPrune} call in µs.</li>
 * </ul>
 * Every tell commits before it returns (the store's durability rule), so the figures include the commits. Run it
 * alone: other jobs on the 2-core machine distort timings (reference §8.2).
 */
public final class StorageBenchmark {
    /** numpy's default {@code method='linear'} percentile (Hyndman–Fan 7). */
    private static final Quantile LINEAR = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).withCopy(true);
    private static final String OBJECTIVE = "steer5";

    private StorageBenchmark() {}

    /**
     * What to run.
     *
     * @param samplers names from {@link SamplerBenchmark#SAMPLERS}
     * @param seeds    one run per seed
     * @param nTrials  trials per run (the 151-200 window needs 200)
     * @param prunerTrials trials of the pruner run (Optuna's protocol: 50)
     * @param dir      where the SQLite files go
     */
    public record Options(List<String> samplers, List<Integer> seeds, int nTrials, int prunerTrials, Path dir) {
        public Options {
            samplers = List.copyOf(samplers);
            seeds = List.copyOf(seeds);
            for (String s : samplers) {
                if (!SamplerBenchmark.SAMPLERS.containsKey(s)) {
                    throw new IllegalArgumentException("unknown sampler '" + s + "' (known: "
                            + SamplerBenchmark.SAMPLERS.keySet() + ")");
                }
            }
            if (seeds.isEmpty() || nTrials < 1 || prunerTrials < 1) {
                throw new IllegalArgumentException("need seeds and positive trial counts, got seeds=" + seeds
                        + ", nTrials=" + nTrials + ", prunerTrials=" + prunerTrials);
            }
        }

        /** The protocol of §8.4. */
        public static Options defaults(Path dir) {
            return new Options(List.of("tpe_default", "random"), List.of(0, 1, 2), 200, 50, dir);
        }
    }

    /** Runs the SQLite and pruner sections; returns {@code {"sqlite": [...], "pruner": [...]}}. */
    public static ObjectNode run(Options o) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        Files.createDirectories(o.dir());
        root.put("load_average_start", loadAverage());
        warmUp(o.dir());
        ArrayNode sqlite = root.putArray("sqlite");
        for (String sampler : o.samplers()) {
            sqlite.add(sqliteRow(mapper, sampler, o));
        }
        ArrayNode pruner = root.putArray("pruner");
        pruner.add(prunerRow(mapper, o));
        root.put("load_average_end", loadAverage());
        return root;
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "n/a": timings on a busy machine vary. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** One untimed run per sampler so that the JIT has compiled the hot paths before anything is timed. */
    private static void warmUp(Path dir) throws IOException {
        for (String sampler : List.of("random", "tpe_default")) {
            Path file = dir.resolve("warmup-" + sampler + "-" + System.nanoTime() + ".db");
            try (TrialStore store = TrialStores.open("sqlite:///" + file.toAbsolutePath(), StoreOptions.DEFAULTS)) {
                runAskTell(store, sampler, 99, 100, new double[100], new double[100]);
            } finally {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
            }
        }
    }

    private static ObjectNode sqliteRow(ObjectMapper mapper, String sampler, Options o) throws IOException {
        long t0 = System.nanoTime();
        List<double[]> askTimes = new ArrayList<>();
        List<double[]> tellTimes = new ArrayList<>();
        List<double[]> memAsk = new ArrayList<>();
        List<double[]> memTell = new ArrayList<>();
        boolean sameTrajectory = true;
        for (int seed : o.seeds()) {
            Path file = o.dir().resolve("bench-" + sampler + "-" + seed + "-" + System.nanoTime() + ".db");
            double[] ask = new double[o.nTrials()];
            double[] tell = new double[o.nTrials()];
            List<FrozenTrial> onDisk;
            try (TrialStore store = TrialStores.open("sqlite:///" + file.toAbsolutePath(), StoreOptions.DEFAULTS)) {
                onDisk = runAskTell(store, sampler, seed, o.nTrials(), ask, tell);
            } finally {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
            }
            try (TrialStore memory = new InMemoryTrialStore()) {
                double[] ma = new double[o.nTrials()];
                double[] mt = new double[o.nTrials()];
                List<FrozenTrial> inMemory = runAskTell(memory, sampler, seed, o.nTrials(), ma, mt);
                sameTrajectory &= sameParamsAndValues(onDisk, inMemory);
                memAsk.add(ma);
                memTell.add(mt);
            }
            askTimes.add(ask);
            tellTimes.add(tell);
        }
        ObjectNode row = mapper.createObjectNode();
        row.put("sampler", sampler);
        row.put("objective", OBJECTIVE);
        ArrayNode seeds = row.putArray("seeds");
        o.seeds().forEach(seeds::add);
        row.put("n_trials", o.nTrials());
        row.put("storage", "sqlite file (JdbcTrialStore: WAL, synchronous=NORMAL, write-through trial cache)");
        row.put("sqlite_dir", "<system temp dir>");
        row.put("same_trajectory_as_inmemory", sameTrajectory);
        ObjectNode detail = mapper.createObjectNode();
        int n = o.nTrials();
        for (int[] w : new int[][] {{0, Math.min(50, n)}, {Math.max(0, n - 50), n}}) {
            String suffix = w[0] == 0 ? "1_50" : "151_200";
            double[] total = window(askTimes, tellTimes, w[0], w[1], true, true);
            stats(detail.putObject("total_" + suffix), total);
            stats(detail.putObject("ask_and_suggest_" + suffix), window(askTimes, tellTimes, w[0], w[1], true, false));
            stats(detail.putObject("tell_" + suffix), window(askTimes, tellTimes, w[0], w[1], false, true));
            row.put("ms_per_ask_tell_" + suffix, mean(total));
            // the same runs on the optimizer's in-memory store: the difference is what SQLite costs
            stats(detail.putObject("inmemory_total_" + suffix), window(memAsk, memTell, w[0], w[1], true, true));
        }
        row.set("detail_ms", detail);
        row.put("elapsed_s", (System.nanoTime() - t0) / 1e9);
        return row;
    }

    /** ask + suggests timed apart from tell (ms); the objective runs between them, untimed. */
    private static List<FrozenTrial> runAskTell(TrialStore store, String sampler, int seed, int nTrials, double[] ask,
            double[] tell) {
        Study study = Study.builder().store(store).name("bench").direction(StudyDirection.MINIMIZE)
                .sampler(SamplerBenchmark.SAMPLERS.get(sampler).apply(seed)).pruner(new NopPruner()).create();
        for (int i = 0; i < nTrials; i++) {
            long a = System.nanoTime();
            Trial trial = study.ask();
            double[] x = SamplerBenchmark.Objectives.suggest(OBJECTIVE, trial);
            long b = System.nanoTime();
            double value = SamplerBenchmark.Objectives.evaluate(OBJECTIVE, x);
            long c = System.nanoTime();
            study.tell(trial, value);
            long d = System.nanoTime();
            ask[i] = (b - a) / 1e6;
            tell[i] = (d - c) / 1e6;
        }
        return study.trials();
    }

    private static boolean sameParamsAndValues(List<FrozenTrial> a, List<FrozenTrial> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).params().equals(b.get(i).params()) || !a.get(i).values().equals(b.get(i).values())) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode prunerRow(ObjectMapper mapper, Options o) throws IOException {
        long t0 = System.nanoTime();
        int steps = 20;
        int seed = 0;
        Path file = o.dir().resolve("bench-pruner-" + System.nanoTime() + ".db");
        List<Double> micros = new ArrayList<>();
        List<Integer> trialOfDecision = new ArrayList<>();
        int pruned = 0;
        try (TrialStore store = TrialStores.open("sqlite:///" + file.toAbsolutePath(), StoreOptions.DEFAULTS)) {
            Study study = Study.builder().store(store).name("pruner").direction(StudyDirection.MINIMIZE)
                    .sampler(new RandomSampler(seed)).pruner(new MedianPruner()).create();
            for (int i = 0; i < o.prunerTrials(); i++) {
                Trial trial = study.ask();
                double f = SamplerBenchmark.Objectives.evaluate(OBJECTIVE,
                        SamplerBenchmark.Objectives.suggest(OBJECTIVE, trial));
                boolean stopped = false;
                for (int step = 0; step < steps; step++) {
                    trial.report(step, f + 1.5 * Math.exp(-step / 6.0) + 0.02 * Math.sin(step + trial.number()));
                    long a = System.nanoTime();
                    boolean prune = trial.shouldPrune();
                    long b = System.nanoTime();
                    micros.add((b - a) / 1e3);
                    trialOfDecision.add(trial.number());
                    if (prune) {
                        study.tell(trial, TrialState.PRUNED);
                        pruned++;
                        stopped = true;
                        break;
                    }
                }
                if (!stopped) {
                    study.tell(trial, f);
                }
            }
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
        ObjectNode row = mapper.createObjectNode();
        row.put("pruner", "MedianPruner");
        row.putObject("pruner_kwargs");
        row.put("storage", "sqlite");
        row.putArray("seeds").add(seed);
        row.put("n_trials_per_seed", o.prunerTrials());
        row.put("n_steps", steps);
        row.put("n_decisions", micros.size());
        row.put("n_pruned_trials", pruned);
        row.put("pruned_fraction", pruned / (double) o.prunerTrials());
        double[] all = micros.stream().mapToDouble(Double::doubleValue).toArray();
        ObjectNode us = row.putObject("us_per_should_prune");
        stats(us, all);
        us.put("mean_trials_1_20", meanWhere(micros, trialOfDecision, n -> n < 20));
        us.put("mean_last_20_trials", meanWhere(micros, trialOfDecision, n -> n >= o.prunerTrials() - 20));
        row.put("elapsed_s", (System.nanoTime() - t0) / 1e9);
        return row;
    }

    private static double meanWhere(List<Double> v, List<Integer> trial, java.util.function.IntPredicate p) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < v.size(); i++) {
            if (p.test(trial.get(i))) {
                sum += v.get(i);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double[] window(List<double[]> ask, List<double[]> tell, int from, int to, boolean withAsk,
            boolean withTell) {
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < ask.size(); r++) {
            for (int i = from; i < to; i++) {
                out.add((withAsk ? ask.get(r)[i] : 0) + (withTell ? tell.get(r)[i] : 0));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static void stats(ObjectNode n, double[] v) {
        n.put("mean", mean(v));
        n.put("median", LINEAR.evaluate(v, 0.5));
        n.put("p95", LINEAR.evaluate(v, 0.95));
    }

    /**
     * {@code StorageBenchmark [OUT.json]}: runs the default protocol, writes the JSON (if a path is given) and prints
     * a summary beside Optuna's published figures to stdout.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("steeropt-storage-bench");
        ObjectNode result = run(Options.defaults(dir));
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (args.length > 0) {
            mapper.writeValue(Path.of(args[0]).toFile(), result);
        }
        System.out.println("load average (1, 5, 15 min) at start " + result.get("load_average_start").asText()
                + ", at end " + result.get("load_average_end").asText());
        System.out.println("SQLite, steer5, ms per trial (ask + 5 suggests + tell), mean (median):");
        System.out.println("  Optuna master: tpe_default 31.3 (31.8) / 33.3 (33.3) at 1-50 / 151-200,"
                + " random 22.3 (21.4) / 21.5 (21.5)");
        result.get("sqlite").forEach(r -> {
            double median = r.at("/detail_ms/total_151_200/median").asDouble();
            double memory = r.at("/detail_ms/inmemory_total_151_200/median").asDouble();
            double optuna = "random".equals(r.get("sampler").asText()) ? 21.5 : 33.3;
            System.out.printf("  steeropt %-12s 1-50 %.3f (%.3f)   151-200 %.3f (%.3f)   in memory 151-200 median %.3f"
                            + " (storage share %.3f)   Optuna master / steeropt at 151-200: mean %.0fx, median %.0fx"
                            + "   same trajectory as in memory: %s%n",
                    r.get("sampler").asText(),
                    r.get("ms_per_ask_tell_1_50").asDouble(), r.at("/detail_ms/total_1_50/median").asDouble(),
                    r.get("ms_per_ask_tell_151_200").asDouble(), median, memory, median - memory,
                    optuna / r.get("ms_per_ask_tell_151_200").asDouble(), optuna / median,
                    r.get("same_trajectory_as_inmemory").asBoolean());
        });
        System.out.println("MedianPruner on SQLite, µs per shouldPrune, mean (median, p95):");
        System.out.println("  Optuna master: 3700 (3480, 3890); v4.9.0: 4350 (4140, 4920)");
        result.get("pruner").forEach(r -> System.out.printf("  steeropt: %.1f (%.1f, %.1f) over %d decisions,"
                        + " %d/%d trials pruned%n", r.at("/us_per_should_prune/mean").asDouble(),
                r.at("/us_per_should_prune/median").asDouble(), r.at("/us_per_should_prune/p95").asDouble(),
                r.get("n_decisions").asInt(), r.get("n_pruned_trials").asInt(), r.get("n_trials_per_seed").asInt()));
        Files.deleteIfExists(dir);
    }
}
