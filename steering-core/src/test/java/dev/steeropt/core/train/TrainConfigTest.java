package dev.steeropt.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainConfigTest {
    private static final double TOL = 1e-12;

    private static TrainConfig config(int steps, int warmup) {
        return new TrainConfig(32, 2, 2, 64, 64, 10000.0, 2, steps, 0, 1e-2, 1e-3, warmup, 0.1, 1.0, 1);
    }

    @Test
    void warmupRisesLinearlyToThePeak() {
        TrainConfig c = config(100, 10);
        assertEquals(1e-3, c.learningRateAt(0), TOL);
        assertEquals(5e-3, c.learningRateAt(4), TOL);
        assertEquals(1e-2, c.learningRateAt(9), TOL);
    }

    @Test
    void cosineDecaysFromPeakToMinimum() {
        TrainConfig c = config(110, 10);
        assertEquals(1e-2, c.learningRateAt(10), TOL);
        assertEquals((1e-2 + 1e-3) / 2, c.learningRateAt(60), TOL); // half-way: cos(pi/2) = 0
        assertEquals(1e-3, c.learningRateAt(110), TOL);
        for (int s = 11; s <= 110; s++) {
            assertTrue(c.learningRateAt(s) <= c.learningRateAt(s - 1), "not decreasing at step " + s);
        }
    }

    @Test
    void rejectsHeadSizeThatIsOddOrNotADivisor() {
        assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig(30, 2, 4, 64, 64, 10000.0, 2, 10, 0, 1e-2, 1e-3, 1, 0.1, 1.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig(36, 2, 4, 64, 64, 10000.0, 2, 10, 0, 1e-2, 1e-3, 1, 0.1, 1.0, 1));
    }

    @Test
    void rejectsMinimumAbovePeak() {
        assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig(32, 2, 2, 64, 64, 10000.0, 2, 10, 0, 1e-3, 1e-2, 1, 0.1, 1.0, 1));
    }
}
