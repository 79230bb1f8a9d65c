package dev.steeropt.optimizer.samplers.tpe;

import static dev.steeropt.optimizer.OptunaFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.OptunaFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Truncated-normal maths against Optuna's {@code _truncnorm} values in the fixtures. Tolerance: 1e-9 relative plus
 * 1e-12 absolute (for the ppf of 0.5 on a symmetric interval, which is exactly -0.0 in the fixture).
 */
class TruncatedNormalTest {
    private static final double REL = 1e-9;
    private static final double ABS = 1e-12;

    @ParameterizedTest
    @ValueSource(strings = {OptunaFixtures.MASTER, OptunaFixtures.V49})
    void matchesOptunaFixtures(String ref) {
        JsonNode t = OptunaFixtures.ref(ref).path("truncnorm");
        int n = t.path("a").size();
        assertTrue(n >= 6, "expected at least 6 truncnorm cases, got " + n);
        for (int i = 0; i < n; i++) {
            double a = t.path("a").get(i).asDouble();
            double b = t.path("b").get(i).asDouble();
            double q = t.path("q").get(i).asDouble();
            double x = t.path("x").get(i).asDouble();
            String c = ref + " case " + i + " (a=" + a + ", b=" + b + ")";
            assertClose(t.path("log_gauss_mass").get(i).asDouble(), TruncatedNormal.logGaussMass(a, b), REL, ABS,
                    "log_gauss_mass " + c);
            assertClose(t.path("logpdf_loc0_scale1").get(i).asDouble(), TruncatedNormal.logpdf(x, a, b, 0, 1), REL,
                    ABS, "logpdf(loc 0, scale 1) " + c);
            // The exporter evaluated loc=1.5, scale=2 at the same standardised point x.
            assertClose(t.path("logpdf_loc1.5_scale2").get(i).asDouble(),
                    TruncatedNormal.logpdf(1.5 + 2 * x, a, b, 1.5, 2), REL, ABS, "logpdf(loc 1.5, scale 2) " + c);
            assertClose(t.path("ppf").get(i).asDouble(), TruncatedNormal.ppf(q, a, b), REL, ABS, "ppf " + c);
        }
    }

    @Test
    void erfcMatchesKnownValuesAcrossRegimes() {
        // Reference values from Python's math.erfc (correctly rounded to ~1 ulp).
        assertClose(1.0, TruncatedNormal.erfc(0.0), 1e-14, 0, "erfc(0)");
        assertClose(0.4795001221869535, TruncatedNormal.erfc(0.5), 1e-14, 0, "erfc(0.5)");
        assertClose(0.004677734981047265, TruncatedNormal.erfc(2.0), 1e-13, 0, "erfc(2)");
        assertClose(2.2090496998585438e-05, TruncatedNormal.erfc(3.0), 1e-13, 0, "erfc(3)");
        assertClose(1.5374597944280351e-12, TruncatedNormal.erfc(5.0), 1e-13, 0, "erfc(5)");
        assertClose(2.088487583762545e-45, TruncatedNormal.erfc(10.0), 1e-13, 0, "erfc(10)");
        assertClose(1.9999999999999976, TruncatedNormal.erfc(-5.6), 1e-15, 0, "erfc(-5.6)");
    }

    @Test
    void fastErfcAgreesWithTheSlowReferenceEverywhere() {
        double worst = 0;
        for (double x = -6; x <= 27; x += 0.001) {
            double slow = TruncatedNormal.erfcSlow(x);
            double fast = TruncatedNormal.erfc(x);
            if (slow >= Double.MIN_NORMAL) { // subnormal results (x > 26.5) carry too few bits for a relative check
                worst = Math.max(worst, Math.abs(fast - slow) / slow);
            }
        }
        assertTrue(worst < 1e-12, "worst relative error of the Chebyshev erfc: " + worst);
    }

    @Test
    void ppfInvertsTheCdfInBothTails() {
        double[][] cases = {{-2, 2}, {-30, -25}, {5, 40}, {-0.1, 0.1}, {-8, 1}, {0.5, 3}};
        for (double[] ab : cases) {
            for (double q : new double[] {1e-6, 0.01, 0.3, 0.5, 0.9, 0.999999}) {
                double x = TruncatedNormal.ppf(q, ab[0], ab[1]);
                assertTrue(x >= ab[0] && x <= ab[1], "ppf out of [a,b]: " + x);
                double back = Math.exp(TruncatedNormal.logGaussMass(ab[0], x) - TruncatedNormal.logGaussMass(ab[0],
                        ab[1]));
                assertClose(q, back, 1e-8, 1e-12, "cdf(ppf(" + q + ")) on [" + ab[0] + "," + ab[1] + "]");
            }
        }
        assertEquals(-2.0, TruncatedNormal.ppf(0.0, -2, 2));
        assertEquals(2.0, TruncatedNormal.ppf(1.0, -2, 2));
    }
}
