package dev.steeropt.studies.analysis.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The trend statistics behind H3 and H4. */
class SweepReportTest {
    @Test
    void spearmanRanksTiesAndItsExactPermutationP() {
        double[] x = {0, 0.5, 1, 1.5, 2};
        assertEquals(1.0, SweepReport.Spearman.rho(x, new double[] {0.03, 0.04, 0.07, 0.14, 0.2}), 1e-12);
        assertEquals(-1.0, SweepReport.Spearman.rho(x, new double[] {5, 4, 3, 2, 1}), 1e-12);
        // a perfect order among 5! = 120 permutations: itself and its reverse reach |rho| = 1
        assertEquals(2.0 / 120, SweepReport.Spearman.exactP(x, new double[] {1, 2, 3, 4, 5}), 1e-12);
        assertEquals(1.0, SweepReport.Spearman.exactP(x, new double[] {3, 3, 3, 3, 3}), 0.0, "no variation, no trend");
        double[] r = SweepReport.Spearman.ranks(new double[] {10, 20, 20, 30});
        assertEquals(2.5, r[1], 0.0);
        assertEquals(2.5, r[2], 0.0);
        double mid = SweepReport.Spearman.exactP(x, new double[] {1, 3, 2, 5, 4});
        assertTrue(mid > 2.0 / 120 && mid < 1, "a partial trend: " + mid);
    }
}
