package dev.steeropt.eval.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The statistics the multi-objective test evaluation and the sampler benchmark add: {@link PairedMeanDifference},
 * {@link Holm} and {@link MannWhitney}. Reference values are scipy 1.x ({@code ttest_rel}, {@code mannwhitneyu}) on
 * the same inputs, to 1e-12 relative.
 */
class MultiStatsTest {
    @Test
    void pairedTTestMatchesScipy() {
        double[] base = {10, 12, 9, 15, 20, 11, 13};
        double[] treated = {8, 11, 9, 12, 14, 10, 12};
        PairedMeanDifference d = PairedMeanDifference.of(base, treated, 2000, 3);
        assertEquals(-2.6457513110645907, d.t(), 1e-12);
        assertEquals(0.03824518382406254, d.pValue(), 1e-12);
        assertEquals(6, d.df());
        assertEquals(-2.0, d.observed(), 1e-12);
        assertTrue(d.lower() < d.observed() && d.observed() < d.upper(), d.toString());
        assertTrue(d.upper() < 0, "every difference is <= 0, so the CI lies below 0: " + d);
        // swapping the arms flips the sign, not the p-value (catches a one-sided or absolute-valued mean)
        PairedMeanDifference r = PairedMeanDifference.of(treated, base, 2000, 3);
        assertEquals(-d.observed(), r.observed(), 1e-12);
        assertEquals(d.pValue(), r.pValue(), 1e-12);
    }

    @Test
    void pairedTTestDegenerateCases() {
        PairedMeanDifference same = PairedMeanDifference.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}, 10, 0);
        assertEquals(1.0, same.pValue());
        PairedMeanDifference shift = PairedMeanDifference.of(new double[] {1, 2, 3}, new double[] {0, 1, 2}, 10, 0);
        assertEquals(0.0, shift.pValue());
        assertThrows(IllegalArgumentException.class, () -> PairedMeanDifference.of(new double[] {1}, new double[] {1},
                10, 0));
    }

    @Test
    void holmStepDown() {
        // sorted 0.01, 0.03, 0.04 -> 0.03, 0.06, max(0.06, 0.04) = 0.06; back in input order
        assertArrayEquals(new double[] {0.03, 0.06, 0.06}, Holm.adjust(new double[] {0.01, 0.04, 0.03}), 1e-15);
        assertArrayEquals(new double[] {1.0, 1.0}, Holm.adjust(new double[] {0.6, 0.7}), 1e-15);
        assertArrayEquals(new double[] {0.2}, Holm.adjust(new double[] {0.2}), 1e-15);
    }

    @Test
    void mannWhitneyExactMatchesScipy() {
        double[] x = {3.1, 2.0, 5.4, 4.4, 1.2, 6.7, 2.2, 3.3, 0.5, 4.9};
        double[] y = {4.0, 5.1, 6.2, 3.9, 7.7, 8.1, 5.5, 6.6, 2.8, 9.0};
        MannWhitney m = MannWhitney.less(x, y);
        assertTrue(m.exact());
        assertEquals(SCIPY_EXACT_U, m.u(), 0);
        assertEquals(SCIPY_EXACT_P, m.pValue(), 1e-12);
        assertEquals(0.05, MannWhitney.less(new double[] {1, 2, 3}, new double[] {4, 5, 6}).pValue(), 1e-15);
        // the other direction is the complement (plus the point mass): far from significant
        assertTrue(MannWhitney.less(y, x).pValue() > 0.9);
    }

    @Test
    void mannWhitneyWithTiesMatchesScipyAsymptotic() {
        MannWhitney m = MannWhitney.less(new double[] {1, 2, 2, 3, 5, 5, 6}, new double[] {2, 4, 5, 7, 8, 8, 9, 10});
        assertFalse(m.exact());
        assertEquals(0.02059042723876418, m.pValue(), 1e-12);
    }

    private static final double SCIPY_EXACT_U = 19.0;
    private static final double SCIPY_EXACT_P = 0.009271688064257724;
}
