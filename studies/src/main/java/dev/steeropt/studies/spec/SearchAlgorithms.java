package dev.steeropt.studies.spec;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.pruners.MedianPruner;
import dev.steeropt.optimizer.pruners.NopPruner;
import dev.steeropt.optimizer.pruners.PercentilePruner;
import dev.steeropt.optimizer.pruners.Pruner;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Builds the sampler and pruner a {@link StudySpec.Search} names. */
public final class SearchAlgorithms {
    /** Sampler names. */
    public static final List<String> SAMPLERS = List.of("tpe", "random", "grid");
    /** Pruner names. */
    public static final List<String> PRUNERS = List.of("median", "percentile", "none");

    private SearchAlgorithms() {}

    /**
     * The sampler: {@code tpe} is our default {@link TpeSampler} (conditional categoricals; constant liar when several
     * workers share the study), {@code random} a {@link RandomSampler}, {@code grid} a {@link #grid} over the space.
     */
    public static Sampler sampler(StudySpec spec) {
        StudySpec.Search s = spec.search();
        switch (s.sampler()) {
            case "tpe":
                return TpeSampler.builder().seed(spec.seed()).nStartupTrials(s.samplerStartupTrials())
                        .constantLiar(spec.budget().nWorkers() > 1).build();
            case "random":
                return new RandomSampler(spec.seed());
            case "grid":
                return grid(spec.searchSpace());
            default:
                throw new IllegalStateException("StudySpec validated the sampler name, got " + s.sampler());
        }
    }

    /** The pruner; its decisions compare running validation accuracy at equal numbers of graded items. */
    public static Pruner pruner(StudySpec.Search s) {
        switch (s.pruner()) {
            case "median":
                return new MedianPruner(s.prunerStartupTrials(), s.prunerWarmupSteps(), 1, 1);
            case "percentile":
                return new PercentilePruner(s.percentile(), s.prunerStartupTrials(), s.prunerWarmupSteps(), 1, 1);
            case "none":
                return new NopPruner();
            default:
                throw new IllegalStateException("StudySpec validated the pruner name, got " + s.pruner());
        }
    }

    /**
     * The grid: every layer; α at low, low/2, 0, high/2, high (those inside the range, deduplicated); each method;
     * temperature at both ends; DAC's top_p at the range's midpoint. Trial {@code n} takes grid point {@code n mod size}.
     */
    public static GridSampler grid(SearchSpaceSpec space) {
        TreeSet<Double> alphas = new TreeSet<>();
        double lo = space.alpha().low();
        double hi = space.alpha().high();
        for (double a : new double[] {lo, lo / 2, 0, hi / 2, hi}) {
            if (space.alpha().contains(a)) {
                alphas.add(a == 0 ? 0.0 : a);
            }
        }
        TreeSet<Double> temps = new TreeSet<>(List.of(space.temperature().low(), space.temperature().high()));
        double topP = (space.topP().low() + space.topP().high()) / 2;
        List<Map<String, Object>> points = new ArrayList<>();
        for (String m : space.method()) {
            for (int layer = space.layerLow(); layer <= space.layerHigh(); layer++) {
                for (double a : alphas) {
                    for (double t : temps) {
                        Map<String, Object> p = new LinkedHashMap<>();
                        p.put("layer", (long) layer);
                        p.put("alpha", a);
                        p.put("method", m);
                        p.put("temperature", t);
                        if (m.equals("DAC")) {
                            p.put("top_p", topP);
                        }
                        points.add(p);
                    }
                }
            }
        }
        return new GridSampler(points);
    }

    /** A sampler that walks a fixed list of points, one per trial number, cycling. Stateless and thread-safe. */
    public static final class GridSampler implements Sampler {
        private final List<Map<String, Object>> points;

        GridSampler(List<Map<String, Object>> points) {
            this.points = List.copyOf(points);
        }

        /** The grid points, in the order trials take them. */
        public List<Map<String, Object>> points() {
            return points;
        }

        @Override
        public Map<String, Distribution> inferRelativeSearchSpace(Study study, FrozenTrial trial) {
            return Map.of();
        }

        @Override
        public Map<String, Double> sampleRelative(Study study, FrozenTrial trial, Map<String, Distribution> space) {
            return Map.of();
        }

        @Override
        public double sampleIndependent(Study study, FrozenTrial trial, String name, Distribution distribution) {
            Map<String, Object> point = points.get(trial.number() % points.size());
            Object v = point.get(name);
            if (v == null) {
                throw new IllegalArgumentException("the grid has no value for param '" + name + "' (grid point "
                        + point + ")");
            }
            if (distribution instanceof CategoricalDistribution c) {
                return c.toInternal(v);
            }
            return ((Number) v).doubleValue();
        }
    }
}
