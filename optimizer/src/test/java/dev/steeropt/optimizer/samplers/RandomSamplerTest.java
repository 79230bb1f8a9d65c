package dev.steeropt.optimizer.samplers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sampler contract, and Pearson chi-square checks that {@link RandomSampler#sample} is uniform in the transformed
 * space (reference §2.7). Each check draws 50,000 values with a fixed seed into equiprobable bins; the thresholds are
 * the chi-square quantiles for a 1e-6 false-failure rate (scipy.stats.chi2.isf(1e-6, df)): df 19 → 63.68, df 10 →
 * 46.86, df 2 → 27.63.
 */
class RandomSamplerTest implements SamplerContract {
    private static final int N = 50_000;

    @Override
    public Sampler newSampler(long seed) {
        return new RandomSampler(seed);
    }

    /** Pearson's statistic of {@code counts} against equal expected counts. */
    private static double chiSquare(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double expected = (double) total / counts.length;
        double s = 0;
        for (long c : counts) {
            s += (c - expected) * (c - expected) / expected;
        }
        return s;
    }

    @Test
    void floatIsUniform() {
        Distribution d = FloatDistribution.of(-2.0, 3.0);
        SplittableRandom rng = new SplittableRandom(1);
        long[] bins = new long[20];
        for (int i = 0; i < N; i++) {
            double v = RandomSampler.sample(rng, d);
            bins[Math.min(19, (int) ((v + 2.0) / 5.0 * 20))]++;
        }
        double chi = chiSquare(bins);
        assertTrue(chi < 63.68, "float histogram is not uniform: chi-square " + chi + " with 19 df");
    }

    @Test
    void logFloatIsUniformInLogSpace() {
        Distribution d = FloatDistribution.log(1e-4, 1e-1);
        SplittableRandom rng = new SplittableRandom(2);
        long[] bins = new long[20];
        for (int i = 0; i < N; i++) {
            double v = RandomSampler.sample(rng, d);
            bins[Math.min(19, (int) ((Math.log10(v) + 4.0) / 3.0 * 20))]++;
        }
        double chi = chiSquare(bins);
        assertTrue(chi < 63.68, "log-float histogram is not uniform in log space: chi-square " + chi);
    }

    @Test
    void intIsUniformOverItsValues() {
        Distribution d = IntDistribution.of(-3, 7); // 11 values
        SplittableRandom rng = new SplittableRandom(3);
        long[] bins = new long[11];
        for (int i = 0; i < N; i++) {
            bins[(int) RandomSampler.sample(rng, d) + 3]++;
        }
        double chi = chiSquare(bins);
        assertTrue(chi < 46.86, "int histogram is not uniform: chi-square " + chi + " with 10 df");
    }

    @Test
    void categoricalIsUniform() {
        Distribution d = CategoricalDistribution.of("CAA", "DAC", "none");
        SplittableRandom rng = new SplittableRandom(4);
        long[] bins = new long[3];
        for (int i = 0; i < N; i++) {
            bins[(int) RandomSampler.sample(rng, d)]++;
        }
        double chi = chiSquare(bins);
        assertTrue(chi < 27.63, "categorical histogram is not uniform: chi-square " + chi + " with 2 df");
    }
}
