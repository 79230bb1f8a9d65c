package dev.steeropt.optimizer.samplers;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Uniform sampling in the transformed space (Optuna's {@code RandomSampler}, reference §2.7): floats uniform on
 * [low, high] (log params uniform in log space), stepped floats and ints uniform on the half-step-widened range then
 * rounded to the grid, int-log log-uniform on [log(low-1/2), log(high+1/2)] then rounded, categoricals uniform.
 *
 * <p>Seeded: the same seed and the same sequence of calls give the same values. Thread-safe (calls are serialised).
 */
public final class RandomSampler implements Sampler {
    private final RandomGenerator rng;

    /** A sampler seeded from {@code seed}. */
    public RandomSampler(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** A sampler with a random seed. */
    public RandomSampler() {
        this(new SplittableRandom().nextLong());
    }

    @Override
    public Map<String, Distribution> inferRelativeSearchSpace(Study study, FrozenTrial trial) {
        return Map.of();
    }

    @Override
    public Map<String, Double> sampleRelative(Study study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
        return Map.of();
    }

    @Override
    public synchronized double sampleIndependent(Study study, FrozenTrial trial, String paramName,
            Distribution distribution) {
        return sample(rng, distribution);
    }

    /** One uniform draw from {@code d} in internal form, using {@code rng}. */
    public static double sample(RandomGenerator rng, Distribution d) {
        if (d instanceof CategoricalDistribution c) {
            return rng.nextInt(c.choices().size());
        }
        if (d instanceof FloatDistribution f) {
            if (f.log()) {
                double lo = Math.log(f.low());
                double hi = Math.log(f.high());
                double v = Math.exp(lo + rng.nextDouble() * (hi - lo));
                if (v >= f.high() && f.high() > f.low()) {
                    v = Math.nextDown(f.high()); // Optuna caps log samples just below high
                }
                return Math.max(v, f.low());
            }
            if (f.step() != null) {
                double s = f.step();
                double u = (f.low() - s / 2) + rng.nextDouble() * (f.high() - f.low() + s);
                double v = f.low() + Math.rint((u - f.low()) / s) * s;
                return Math.min(Math.max(v, f.low()), f.high());
            }
            if (f.low() == f.high()) {
                return f.low();
            }
            return f.low() + rng.nextDouble() * (f.high() - f.low());
        }
        IntDistribution i = (IntDistribution) d;
        if (i.log()) {
            double lo = Math.log(i.low() - 0.5);
            double hi = Math.log(i.high() + 0.5);
            double v = Math.rint(Math.exp(lo + rng.nextDouble() * (hi - lo)));
            return Math.min(Math.max(v, i.low()), i.high());
        }
        double s = i.step();
        double u = (i.low() - s / 2) + rng.nextDouble() * (i.high() - i.low() + s);
        double v = i.low() + Math.rint((u - i.low()) / s) * s;
        return Math.min(Math.max(v, i.low()), i.high());
    }
}
