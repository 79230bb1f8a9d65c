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
    void aBudgetAheadOfTheStepsPullsTheDecayAlong() {
        // 110 steps, 10 of warm-up (1/11 of the run); a 60 s budget
        TrainConfig c = config(110, 10).withBudget(110, 60_000);
        // the steps lead: the clock changes nothing
        assertEquals(c.learningRateAt(60), c.learningRateAt(60, 0.2), TOL);
        assertEquals(c.learningRateAt(60), c.learningRateAt(60, 0.0), TOL);
        // the clock leads: half of the decay time gone at step 20 gives the half-way rate
        double half = 1.0 / 11 + 0.5 * (10.0 / 11);
        assertEquals((1e-2 + 1e-3) / 2, c.learningRateAt(20, half), 1e-9);
        // budget used up: the minimum, whatever the step
        assertEquals(1e-3, c.learningRateAt(30, 1.0), TOL);
        assertEquals(1e-3, c.learningRateAt(30, 1.7), TOL);
        // warm-up is by steps only
        assertEquals(5e-3, c.learningRateAt(4, 0.9), TOL);
        // without a budget the clock is ignored
        TrainConfig noBudget = config(110, 10);
        assertEquals(noBudget.learningRateAt(20), noBudget.learningRateAt(20, 0.9), TOL);
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
