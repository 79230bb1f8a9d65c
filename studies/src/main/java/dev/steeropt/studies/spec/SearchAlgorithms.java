package dev.steeropt.studies.spec;

import dev.steeropt.optimizer.pruners.MedianPruner;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.pruners.PercentilePruner;
import dev.steeropt.optimizer.pruners.Pruner;
import dev.steeropt.optimizer.samplers.GridSampler;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.ga.NsgaIISampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Builds the sampler and pruner a {@link StudySpec.Search} names. */
public final class SearchAlgorithms {
    private SearchAlgorithms() {}

    /**
     * The sampler: {@code tpe} is our default {@link TpeSampler} (conditional categoricals; constant liar always on,
     * so that workers sharing the study see each other's RUNNING trials), for several objectives Optuna's
     * independent multi-objective TPE ({@link TpeSampler#optunaIndependent}, constant liar on), {@code random} a {@link RandomSampler},
     * {@code grid} the optimizer's {@link GridSampler} over {@link #grid}, {@code nsga2} the optimizer's {@link NsgaIISampler}.
     */
    public static Sampler sampler(StudySpec spec) {
        return sampler(spec, spec.seed());
    }

    /**
     * The spec's sampler drawing from {@code seed}: processes sharing a study need different seeds, or every one of
     * them suggests the same start-up trials.
     */
    public static Sampler sampler(StudySpec spec, long seed) {
        StudySpec.Search s = spec.search();
        return switch (s.sampler()) {
            // several objectives: Optuna 5.0's multi-objective TPE, whose kernels are independent per param
            case TPE -> (spec.multiObjective() == null ? TpeSampler.builder() : TpeSampler.optunaIndependent())
                    .seed(seed).nStartupTrials(s.samplerStartupTrials())
                    // Always on: workers on other machines (one `optimize` each, sharing a PostgreSQL study) must
                    // see each other's RUNNING trials; with a single worker there are none, so nothing changes.
                    .constantLiar(true).build();
            case RANDOM -> new RandomSampler(seed);
            case GRID -> new GridSampler(grid(spec.searchSpace()), seed);
            case NSGA2 -> nsga2(s.nsga2(), seed);
        };
    }

    /** NSGA-II with the spec's options (Optuna's names; SBX crossover unless {@code uniform} is asked for). */
    static NsgaIISampler nsga2(StudySpec.Nsga2 o, long seed) {
        NsgaIISampler.Builder b = NsgaIISampler.builder().seed(seed).populationSize(o.populationSize())
                .crossover(o.crossover().operator()).crossoverProb(o.crossoverProb()).swappingProb(o.swappingProb());
        if (o.mutationProb() != null) {
            b.mutationProb(o.mutationProb());
        }
        return b.build();
    }

    /** The pruner; its decisions compare running validation accuracy at equal numbers of graded items. */
    public static Pruner pruner(StudySpec.Search s) {
        return switch (s.pruner()) {
            case MEDIAN -> new MedianPruner(s.prunerStartupTrials(), s.prunerWarmupSteps(), 1, 1);
            case PERCENTILE -> new PercentilePruner(s.percentile(), s.prunerStartupTrials(), s.prunerWarmupSteps(), 1, 1);
            case NONE -> new NopPruner();
        };
    }

    /**
     * The grid for the optimizer's {@link GridSampler}: every layer; α at low, low/2, 0, high/2, high (those inside
     * the range); each method; temperature at both ends; DAC's top_p at the range's midpoint (one value, since CAA
     * trials never suggest it).
     */
    public static Map<String, List<Object>> grid(SearchSpaceSpec space) {
        TreeSet<Double> alphas = new TreeSet<>();
        double lo = space.alpha().low();
        double hi = space.alpha().high();
        for (double a : new double[] {lo, lo / 2, 0, hi / 2, hi}) {
            if (space.alpha().contains(a)) {
                alphas.add(a == 0 ? 0.0 : a);
            }
        }
        List<Object> layers = new ArrayList<>();
        for (int l = space.layerLow(); l <= space.layerHigh(); l++) {
            layers.add((long) l);
        }
        Map<String, List<Object>> g = new LinkedHashMap<>();
        g.put("layer", layers);
        g.put("alpha", new ArrayList<>(alphas));
        g.put("method", new ArrayList<>(space.methodChoices()));
        g.put("temperature", new ArrayList<>(new TreeSet<>(List.of(space.temperature().low(),
                space.temperature().high()))));
        g.put("top_p", List.of((space.topP().low() + space.topP().high()) / 2));
        return g;
    }
}
