package dev.steeropt.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Reference values: Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score), 4 dp. */
class WilsonIntervalTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
            "81, 263, 0.2553, 0.3662",
            "15, 148, 0.0624, 0.1605",
            "0,  20,  0.0000, 0.1611",
            "1,  29,  0.0061, 0.1718",
    })
    void matchesNewcombesPublishedIntervals(int k, int n, double lower, double upper) {
        WilsonInterval w = WilsonInterval.of95(k, n);
        assertEquals(lower, w.lower(), 5e-5);
        assertEquals(upper, w.upper(), 5e-5);
    }

    @Test
    void zeroSuccessesHasClosedFormUpperBound() {
        // k = 0: upper = z^2 / (n + z^2)
        double z2 = WilsonInterval.Z95 * WilsonInterval.Z95;
        assertEquals(z2 / (10 + z2), WilsonInterval.of95(0, 10).upper(), 1e-12);
        assertEquals(0.0, WilsonInterval.of95(0, 10).lower(), 0.0);
    }

    @Test
    void accuracyCarriesItsInterval() {
        Accuracy a = Accuracy.of(new boolean[] {true, true, false, true});
        assertEquals(3, a.correct());
        assertEquals(0.75, a.rate());
        assertEquals(WilsonInterval.of95(3, 4), a.ci95());
        assertThrows(IllegalArgumentException.class, () -> Accuracy.of(new boolean[0]));
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of95(5, 4));
    }
}
