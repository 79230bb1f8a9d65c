package dev.steeropt.studies.analysis.variability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.studies.analysis.reads.Completion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TokenVariability} on hand-made samples whose statistics are worked out here. */
class TokenVariabilityTest {
    private static Completion c(Problem p, int len, String answer, boolean correct) {
        return new Completion(p, 1, new int[] {1}, new int[len], "", correct, answer, CompletionMode.HASTY);
    }

    @Test
    void perProblemStatisticsAndMajorityVote() {
        Problem p = Problem.of("p", "q", "s", "4");
        // lengths 2, 4, 6: mean 4, sample SD 2, CV 0.5; answers 4 (right), 5, 5: the majority 5 is wrong
        TokenVariability.Problem r = TokenVariability.problem(List.of(c(p, 2, "4", true), c(p, 4, "5", false), c(p, 6, "5", false)));
        assertEquals(4, r.meanTokens(), 1e-12);
        assertEquals(2, r.sdTokens(), 1e-12);
        assertEquals(0.5, r.cv(), 1e-12);
        assertEquals(1 / 3.0, r.passAt1(), 1e-12);
        assertEquals("5", r.majorityAnswer());
        assertFalse(r.majorityCorrect());
        TokenVariability.Problem tie = TokenVariability.problem(List.of(c(p, 3, "4", true), c(p, 3, "5", false), c(p, 3, null, false)));
        assertEquals("4", tie.majorityAnswer(), "a tie goes to the answer seen first");
        assertTrue(tie.majorityCorrect());
        assertEquals(0, tie.cv(), 1e-12);
    }

    @Test
    void modelSummaryCorrelatesCvWithPassAt1() {
        List<Completion> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Problem p = Problem.of("p" + i, "q", "s", "1");
            boolean easy = i < 4; // constant length and right, or varied length and wrong
            all.add(c(p, 10, "1", easy));
            all.add(c(p, easy ? 10 : 2 + i, easy ? "1" : "2", easy));
        }
        TokenVariability.Model m = TokenVariability.of("m", all, 2);
        assertEquals(0.5, m.passAt1(), 1e-12);
        assertEquals(0.5, m.majorityAccuracy(), 1e-12);
        assertTrue(m.cvPassAt1Pearson() < -0.8, "higher CV, lower pass@1: " + m.cvPassAt1Pearson());
        assertEquals(4, m.cvBins().size());
        assertEquals(1.0, m.cvBins().get(0).passAt1(), 1e-12);
        assertEquals(0.0, m.cvBins().get(3).passAt1(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TokenVariability.of("m", all.subList(0, 3), 2));
    }
}
