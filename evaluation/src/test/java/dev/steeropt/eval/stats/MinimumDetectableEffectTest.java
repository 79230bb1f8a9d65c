package dev.steeropt.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MinimumDetectableEffectTest {

    @Test
    void handCalculatedSampleSize() {
        // psi = 0.1, delta = 0.05:
        // (1.959964 * sqrt(0.1) + 0.841621 * sqrt(0.1 - 0.0025))^2 / 0.0025
        //   = (0.619795 + 0.262797)^2 / 0.0025 = 0.778969 / 0.0025 = 311.59
        assertEquals(311.59, MinimumDetectableEffect.requiredItems(0.05, 0.1), 0.01);
    }

    @Test
    void inverseReproducesTheSampleSize() {
        for (double psi : new double[] {0.05, 0.1, 0.2, 0.5}) {
            for (int n : new int[] {100, 300, 1319, 5000}) {
                OptionalDouble mde = MinimumDetectableEffect.paired(n, psi);
                if (MinimumDetectableEffect.requiredItems(psi, psi) > n) { // e.g. psi 0.05, n 100 needs 154.6
                    assertTrue(mde.isEmpty(), "psi=" + psi + ", n=" + n);
                    continue;
                }
                assertTrue(mde.isPresent(), "psi=" + psi + ", n=" + n);
                assertEquals(n, MinimumDetectableEffect.requiredItems(mde.getAsDouble(), psi), 1e-6 * n);
            }
        }
    }

    @Test
    void theNormalQuantilesAreThoseOfTheFormula() {
        // scipy.stats.norm.ppf(0.975) and norm.ppf(0.8)
        assertEquals(1.959963984540054, MinimumDetectableEffect.Z_ALPHA, 1e-15);
        assertEquals(0.8416212335729143, MinimumDetectableEffect.Z_POWER, 1e-15);
    }

    @Test
    void mdeNearTheHandCalculatedPoint() {
        // 311.59 items detect 0.05 at psi 0.1, so 312 items detect slightly less
        double mde = MinimumDetectableEffect.paired(312, 0.1).getAsDouble();
        assertTrue(mde < 0.05 && mde > 0.0499, "mde=" + mde);
        // large-n limit: delta ~ (z_a + z_b) sqrt(psi / n)
        double approx = (MinimumDetectableEffect.Z_ALPHA + MinimumDetectableEffect.Z_POWER) * Math.sqrt(0.2 / 1e6);
        assertEquals(approx, MinimumDetectableEffect.paired(1_000_000, 0.2).getAsDouble(), approx * 1e-3);
    }

    @Test
    void tinySamplesDetectNothing() {
        // psi = 0.2, delta = psi needs (1.96*0.447 + 0.84*0.4)^2 / 0.04 = 36.8 items
        assertTrue(MinimumDetectableEffect.paired(10, 0.2).isEmpty());
        assertTrue(MinimumDetectableEffect.paired(37, 0.2).isPresent());
    }

    @Test
    void observedUsesTheArmsDiscordance() {
        boolean[] a = new boolean[1000];
        boolean[] b = new boolean[1000];
        for (int i = 0; i < 100; i++) {
            b[i] = true; // 10% discordant
        }
        assertEquals(MinimumDetectableEffect.paired(1000, 0.1).getAsDouble(),
                MinimumDetectableEffect.observed(a, b).getAsDouble(), 0.0);
    }
}
