package dev.steeropt.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    @Test
    void percentileMatchesNumpyLinearMethod() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1.75, PairedBootstrap.LINEAR.evaluate(v, 0.25), 1e-12); // numpy.percentile([1,2,3,4], 25)
        assertEquals(2.5, PairedBootstrap.LINEAR.evaluate(v, 0.5), 1e-12);
        assertEquals(3.925, PairedBootstrap.LINEAR.evaluate(v, 0.975), 1e-12); // 3 + 0.925 * 1
        assertEquals(1.0, PairedBootstrap.LINEAR.evaluate(v, 0), 0.0);
        assertEquals(4.0, PairedBootstrap.LINEAR.evaluate(v, 1), 0.0);
        assertArrayEquals(new double[] {4, 1, 3, 2}, v, "the input is not reordered");
    }

    @Test
    void degenerateArmsGiveDegenerateIntervals() {
        boolean[] allRight = {true, true, true, true, true};
        boolean[] allWrong = new boolean[5];
        BootstrapInterval same = PairedBootstrap.accuracyDifference(allRight, allRight, 500, 1L);
        assertEquals(0.0, same.lower(), 0.0);
        assertEquals(0.0, same.upper(), 0.0);
        BootstrapInterval better = PairedBootstrap.accuracyDifference(allWrong, allRight, 500, 1L);
        assertEquals(1.0, better.observed(), 0.0);
        assertEquals(1.0, better.lower(), 0.0);
        assertEquals(1.0, better.upper(), 0.0);
    }

    @Test
    void twoItemCaseHasKnownResamplingDistribution() {
        // differences {+1, 0}: resampled means are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so with many resamples
        // both 2.5% and 97.5% percentiles land exactly on the extremes 0 and 1.
        BootstrapInterval ci = PairedBootstrap.accuracyDifference(new boolean[] {false, true},
                new boolean[] {true, true}, 10_000, 3L);
        assertEquals(0.5, ci.observed(), 0.0);
        assertEquals(0.0, ci.lower(), 0.0);
        assertEquals(1.0, ci.upper(), 0.0);
    }

    @Test
    void largeSampleAgreesWithNormalApproximation() {
        // 2,000 items, baseline 50% right; the treated arm flips 10% of items (2/3 of the flips to right).
        SplittableRandom data = new SplittableRandom(11L);
        int n = 2000;
        boolean[] base = new boolean[n];
        boolean[] treated = new boolean[n];
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            base[i] = data.nextBoolean();
            treated[i] = base[i];
            if (data.nextDouble() < 0.1) {
                treated[i] = data.nextDouble() < 2.0 / 3.0;
            }
            int d = (treated[i] ? 1 : 0) - (base[i] ? 1 : 0);
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / n;
        double se = Math.sqrt((sumSq / n - mean * mean) / n);
        BootstrapInterval ci = PairedBootstrap.accuracyDifference(base, treated, 10_000, 5L);
        assertEquals(mean, ci.observed(), 1e-12);
        // percentile bootstrap ~ mean +- 1.96 se; Monte Carlo error of a 2.5% quantile at 10k resamples is ~0.05 se
        assertEquals(mean - 1.96 * se, ci.lower(), 0.2 * se);
        assertEquals(mean + 1.96 * se, ci.upper(), 0.2 * se);
    }

    @Test
    void sameSeedSameIntervalDifferentSeedDifferentInterval() {
        SplittableRandom data = new SplittableRandom(2L);
        boolean[] a = new boolean[300];
        boolean[] b = new boolean[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = data.nextBoolean();
            b[i] = data.nextBoolean();
        }
        assertEquals(PairedBootstrap.accuracyDifference(a, b, 42L), PairedBootstrap.accuracyDifference(a, b, 42L));
        assertNotEquals(PairedBootstrap.accuracyDifference(a, b, 42L).lower(),
                PairedBootstrap.accuracyDifference(a, b, 43L).lower());
    }

    @Test
    void rejectsUnpairedArms() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.accuracyDifference(new boolean[2], new boolean[3], 1L));
    }
}
