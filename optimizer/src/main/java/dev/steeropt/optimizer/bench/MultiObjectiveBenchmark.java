package dev.steeropt.optimizer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.ga.NsgaIISampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.Trial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The two-objective part of the sampler benchmark ({@code bench-sampler --multi-objective}): our NSGA-II and
 * multi-objective TPE on ZDT1 and on {@code steer_mo}, a steering-shaped mixed space, scored by the hypervolume of
 * each run's COMPLETE points after {@code nTrials} trials (both objectives minimised; the reference points are in
 * {@link Problems}). {@code studies/tools/optuna-mo-bench.py} runs Optuna's samplers on the same problems with the same
 * seeds; {@code bench-sampler} prints the two side by side.
 */
public final class MultiObjectiveBenchmark {
    /** Our samplers, by the names in the JSON. */
    public static final Map<String, LongFunction<Sampler>> SAMPLERS = samplers();

    private static Map<String, LongFunction<Sampler>> samplers() {
        Map<String, LongFunction<Sampler>> m = new LinkedHashMap<>();
        // NsgaIISampler's defaults: Optuna's options with SBX crossover, population 50
        m.put("nsga2", s -> NsgaIISampler.builder().seed(s).build());
        // what `optimize --sampler nsga2` builds: the same with Optuna's default operator, uniform crossover
        m.put("nsga2_uniform", s -> NsgaIISampler.builder().seed(s).crossover(NsgaIISampler.Crossover.UNIFORM).build());
        // our single-objective default TPE (multivariate, conditional categoricals), for comparison
        m.put("tpe_default", s -> TpeSampler.builder().seed(s).build());
        // what `optimize --sampler tpe` builds for several objectives, as Optuna 5.0's TPESampler() does:
        // independent kernels (constant liar off here: a single sequential worker has no RUNNING trials)
        m.put("tpe_independent", s -> TpeSampler.optunaIndependent().seed(s).build());
        m.put("random", RandomSampler::new);
        return m;
    }

    private MultiObjectiveBenchmark() {}

    /**
     * What to run.
     *
     * @param samplers names from {@link #SAMPLERS}
     * @param problems names from {@link Problems#NAMES}
     * @param seeds    one run per seed
     * @param nTrials  trials per run
     */
    public record Options(List<String> samplers, List<String> problems, List<Integer> seeds, int nTrials) {
        public Options {
            samplers = List.copyOf(samplers);
            problems = List.copyOf(problems);
            seeds = List.copyOf(seeds);
            for (String s : samplers) {
                if (!SAMPLERS.containsKey(s)) {
                    throw new IllegalArgumentException("unknown multi-objective sampler '" + s + "' (known: "
                            + SAMPLERS.keySet() + ")");
                }
            }
            for (String p : problems) {
                if (!Problems.NAMES.contains(p)) {
                    throw new IllegalArgumentException("unknown multi-objective problem '" + p + "' (known: "
                            + Problems.NAMES + ")");
                }
            }
            if (seeds.isEmpty() || nTrials < 1) {
                throw new IllegalArgumentException("need at least one seed and nTrials >= 1, got seeds=" + seeds
                        + ", nTrials=" + nTrials);
            }
        }

        /** NSGA-II, our default TPE, Optuna-style independent TPE and random; ZDT1 and steer_mo; seeds 0-9; 200 trials. */
        public static Options defaults() {
            return new Options(List.of("nsga2", "nsga2_uniform", "tpe_default", "tpe_independent", "random"), Problems.NAMES,
                    List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 200);
        }
    }

    /** Runs every (sampler, problem, seed); one result row per (sampler, problem) with the hypervolume per seed. */
    public static ObjectNode run(Options o) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("schema", "steeropt-mo-bench/v1");
        ObjectNode meta = root.putObject("meta");
        meta.put("source", "steeropt");
        meta.put("date", Instant.now().toString());
        meta.put("n_trials", o.nTrials());
        ArrayNode seeds = meta.putArray("seeds");
        o.seeds().forEach(seeds::add);
        meta.put("load_average_at_start", SamplerBenchmark.loadAverage());
        ObjectNode problems = root.putObject("problems");
        for (String p : o.problems()) {
            ArrayNode ref = problems.putObject(p).putArray("reference_point");
            Arrays.stream(Problems.reference(p)).forEach(ref::add);
        }
        long t0 = System.nanoTime();
        ArrayNode results = root.putArray("results");
        for (String sampler : o.samplers()) {
            for (String problem : o.problems()) {
                long c0 = System.nanoTime();
                ObjectNode row = results.addObject();
                row.put("sampler", sampler);
                row.put("problem", problem);
                ArrayNode hv = row.putArray("hypervolume_per_seed");
                for (int seed : o.seeds()) {
                    hv.add(runOnce(sampler, problem, seed, o.nTrials()));
                }
                row.put("seconds", (System.nanoTime() - c0) / 1e9);
            }
        }
        meta.put("elapsed_s", (System.nanoTime() - t0) / 1e9);
        meta.put("load_average_at_end", SamplerBenchmark.loadAverage());
        return root;
    }

    /** One run's hypervolume after {@code nTrials} trials. */
    static double runOnce(String sampler, String problem, long seed, int nTrials) {
        Study study = Study.builder().directions(List.of(StudyDirection.MINIMIZE, StudyDirection.MINIMIZE))
                .sampler(SAMPLERS.get(sampler).apply(seed)).pruner(new NopPruner()).create();
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < nTrials; i++) {
            Trial t = study.ask();
            double[] f = Problems.evaluate(problem, t);
            study.tell(t, f);
            points.add(f);
        }
        return hypervolume(points, Problems.reference(problem));
    }

    /**
     * The area dominated by {@code points} (both objectives minimised) and bounded by {@code ref}; points not strictly
     * better than {@code ref} in both objectives add nothing.
     */
    public static double hypervolume(List<double[]> points, double[] ref) {
        List<double[]> in = new ArrayList<>();
        for (double[] p : points) {
            if (p[0] < ref[0] && p[1] < ref[1]) {
                in.add(p);
            }
        }
        in.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        double area = 0;
        double bestF2 = ref[1];
        for (double[] p : in) {
            if (p[1] < bestF2) {
                area += (ref[0] - p[0]) * (bestF2 - p[1]);
                bestF2 = p[1];
            }
        }
        return area;
    }

    /** The benchmark problems; both objectives minimised. */
    public static final class Problems {
        public static final List<String> NAMES = List.of("zdt1", "steer_mo");
        /** ZDT1's variables (the standard 30). */
        public static final int ZDT1_DIM = 30;
        private static final List<String> METHODS = List.of("CAA", "DAC");

        private Problems() {}

        /**
         * The hypervolume reference point: ZDT1 (1.1, 11) (f2 <= 10 on the whole box, so every point counts; the
         * true front's hypervolume is 12.1 − 1/3); steer_mo (0, 130) in (−accuracy, tokens) (accuracy >= 0, tokens
         * <= 120 everywhere).
         */
        public static double[] reference(String problem) {
            return switch (problem) {
                case "zdt1" -> new double[] {1.1, 11.0};
                case "steer_mo" -> new double[] {0.0, 130.0};
                default -> throw new IllegalArgumentException("unknown problem '" + problem + "'");
            };
        }

        /** Suggests the problem's params through {@code t} and returns its two (minimised) objectives. */
        public static double[] evaluate(String problem, Trial t) {
            switch (problem) {
                case "zdt1" -> {
                    double[] x = new double[ZDT1_DIM];
                    for (int i = 0; i < ZDT1_DIM; i++) {
                        x[i] = t.suggestFloat("x" + i, 0, 1);
                    }
                    return zdt1(x);
                }
                case "steer_mo" -> {
                    int layer = (int) t.suggestInt("layer", 0, 23);
                    double alpha = t.suggestFloat("alpha", -4, 4);
                    boolean dac = METHODS.indexOf(t.suggestCategorical("method", METHODS)) == 1;
                    double temperature = t.suggestFloat("temperature", 0, 1);
                    return steerMo(layer, alpha, dac, temperature);
                }
                default -> throw new IllegalArgumentException("unknown problem '" + problem + "' (known: " + NAMES
                        + ")");
            }
        }

        /** ZDT1: f1 = x0, g = 1 + 9 mean(x1..), f2 = g (1 − sqrt(f1 / g)). */
        static double[] zdt1(double[] x) {
            double s = 0;
            for (int i = 1; i < x.length; i++) {
                s += x[i];
            }
            double g = 1 + 9 * s / (x.length - 1);
            return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
        }

        /**
         * A steering-shaped trade-off (the demo world's, smoothed): a layer bump g (CAA centred on layer 13, width 4;
         * DAC on 9, width 3) scales how far α moves the model into its careful mode, s = sigmoid(1.5 α g − 1); the
         * careful mode costs tokens (20 + 90 s + 10 T) and buys accuracy, efficiently at the right layer (accuracy
         * (0.1 + 0.8 s^(1.5 − g)) (1 − 0.5 T²), × 0.95 for CAA). Returns (−accuracy, tokens).
         */
        static double[] steerMo(int layer, double alpha, boolean dac, double temperature) {
            double l0 = dac ? 9 : 13;
            double w = dac ? 3 : 4;
            double z = (layer - l0) / w;
            double g = Math.exp(-0.5 * z * z);
            double s = 1 / (1 + Math.exp(-(1.5 * alpha * g - 1)));
            double tokens = 20 + 90 * s + 10 * temperature;
            double accuracy = (0.1 + 0.8 * Math.pow(s, 1.5 - g)) * (1 - 0.5 * temperature * temperature)
                    * (dac ? 1.0 : 0.95);
            return new double[] {-accuracy, tokens};
        }
    }
}
