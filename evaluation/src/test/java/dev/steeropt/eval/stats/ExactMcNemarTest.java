package dev.steeropt.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExactMcNemarTest {

    /** Independent exact computation: 2 * sum_{k <= min(b,c)} C(b+c, k) / 2^(b+c), capped at 1, in BigInteger. */
    private static double exactTwoSided(int b, int c) {
        int n = b + c;
        BigInteger sum = BigInteger.ZERO;
        BigInteger binom = BigInteger.ONE;
        for (int k = 0; k <= Math.min(b, c); k++) {
            sum = sum.add(binom);
            binom = binom.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        BigDecimal p = new BigDecimal(sum.shiftLeft(1)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)),
                MathContext.DECIMAL128);
        return Math.min(1.0, p.doubleValue());
    }

    @Test
    void handCalculatedValues() {
        // b=1, c=9: 2 * (C(10,0) + C(10,1)) / 2^10 = 22/1024
        assertEquals(22.0 / 1024, ExactMcNemar.fromDiscordant(1, 9).pValue(), 1e-15);
        // b=0, c=6: 2 / 64
        assertEquals(2.0 / 64, ExactMcNemar.fromDiscordant(0, 6).pValue(), 1e-15);
        // symmetric tables are capped at 1
        assertEquals(1.0, ExactMcNemar.fromDiscordant(5, 5).pValue(), 0.0);
        assertEquals(1.0, ExactMcNemar.fromDiscordant(0, 0).pValue(), 0.0);
    }

    @ParameterizedTest(name = "b={0}, c={1}")
    @CsvSource({"12, 30", "121, 59", "3, 4", "40, 0", "250, 300", "7, 1"})
    void matchesIndependentBigIntegerComputation(int b, int c) {
        double expected = exactTwoSided(b, c);
        assertEquals(expected, ExactMcNemar.fromDiscordant(b, c).pValue(), expected * 1e-9);
    }

    @Test
    void countsDiscordantPairsFromArms() {
        boolean[] base = {true, true, true, false, false, true, false};
        boolean[] steered = {true, false, true, true, true, true, true};
        McNemarResult r = ExactMcNemar.test(base, steered);
        assertEquals(1, r.b());  // item 1
        assertEquals(3, r.c());  // items 3, 4, 6
        assertEquals(exactTwoSided(1, 3), r.pValue(), 1e-12); // = 2 * 5/16 = 0.625
        assertEquals(0.625, r.pValue(), 1e-12);
    }
}
