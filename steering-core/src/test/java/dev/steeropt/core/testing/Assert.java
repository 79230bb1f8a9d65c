package dev.steeropt.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Array assertions with an absolute tolerance that report the worst element, expected against actual. */
public final class Assert {
    private Assert() {
    }

    /** Asserts |expected[i] − actual[i]| ≤ atol for every i (and equal lengths). */
    public static void close(float[] expected, float[] actual, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = -1;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst) || Double.isNaN(d)) {
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        if (worst > atol) {
            throw new AssertionError(what + ": max |diff| " + worst + " > " + atol + " at index " + at + " (expected "
                    + expected[at] + ", actual " + actual[at] + ")");
        }
    }

    /** The largest absolute difference. */
    public static double maxDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }
}
