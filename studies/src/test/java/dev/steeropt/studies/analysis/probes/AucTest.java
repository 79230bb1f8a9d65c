package dev.steeropt.studies.analysis.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Mann-Whitney AUC against hand-counted pairs. */
class AucTest {

    @Test
    void countsOrderedPairsWithTiesAsHalf() {
        assertEquals(1.0, Auc.mannWhitney(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1}));
        assertEquals(0.0, Auc.mannWhitney(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 0, 1, 1}));
        assertEquals(0.5, Auc.mannWhitney(new double[] {0.3, 0.3, 0.3, 0.3}, new int[] {0, 1, 0, 1}));
        // positives 0.4, 0.7; negatives 0.2, 0.4, 0.9: pairs (0.4>0.2)=1, (0.4=0.4)=0.5, (0.4<0.9)=0, (0.7>0.2)=1,
        // (0.7>0.4)=1, (0.7<0.9)=0 -> 3.5 / 6
        assertEquals(3.5 / 6, Auc.mannWhitney(new double[] {0.4, 0.2, 0.7, 0.4, 0.9}, new int[] {1, 0, 1, 0, 0}), 1e-15);
    }

    @Test
    void matchesBruteForceOnRandomScores() {
        SplittableRandom r = new SplittableRandom(4);
        double[] s = new double[300];
        int[] y = new int[300];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.floor(r.nextDouble() * 20) / 20; // many ties
            y[i] = r.nextInt(2);
        }
        double num = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    num += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        assertEquals(num / pairs, Auc.mannWhitney(s, y), 1e-12);
    }

    @Test
    void needsBothClasses() {
        assertThrows(IllegalArgumentException.class, () -> Auc.mannWhitney(new double[] {1, 2}, new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Auc.mannWhitney(new double[] {1, 2}, new int[] {1, 2}));
    }
}
