package dev.steeropt.studies.pipeline.multi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.SelectionRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The three pre-registered rules on hand-made fronts whose answers are worked out in the comments. Each test names
 * the bug it catches.
 */
class SelectionTest {
    private static FrontPoint p(int trial, double accuracy, double tokens) {
        return new FrontPoint(trial, Map.of("alpha", trial == 0 ? 0.0 : 1.0), accuracy, tokens);
    }

    // a front by tokens: (20, 0.10) (30, 0.50) (60, 0.60) (100, 0.70); normalised x = (t−20)/80, y = (a−0.1)/0.6:
    // #1 (0, 0), #2 (0.125, 0.667) d ∝ 0.542, #3 (0.5, 0.833) d ∝ 0.333, #4 (1, 1) d = 0 (ties #1: more accurate)
    private static final List<FrontPoint> FRONT = List.of(p(1, 0.10, 20), p(2, 0.50, 30), p(3, 0.60, 60),
            p(4, 0.70, 100));
    private static final FrontPoint BASELINE = p(0, 0.55, 80);

    private static ValidationFront front() {
        return new ValidationFront(FRONT, FRONT, BASELINE);
    }

    /** Catches: distance unsigned, or normalised over all points instead of the front, or extremes not excluded. */
    @Test
    void kneeIsTheBulgeTowardTheIdeal() {
        List<FrontPoint> r = Selection.rank(SelectionRule.knee(), FRONT, BASELINE);
        assertEquals(List.of(2, 3, 4, 1), r.stream().map(FrontPoint::trial).toList());
        double[] d = Selection.kneeDistances(FRONT);
        assertEquals((2.0 / 3 - 0.125) / Math.sqrt(2), d[1], 1e-12);
        // a point below the line (a sagging front) ranks after the extremes, not first as |distance| would rank it
        // and the extremes tie at 0, the more accurate first
        List<FrontPoint> sag = List.of(p(1, 0.1, 20), p(2, 0.15, 90), p(3, 0.7, 100));
        assertEquals(List.of(3, 1, 2), trials(Selection.rank(SelectionRule.knee(), sag, BASELINE)));
    }

    /** Catches: comparing tokens with R instead of R × baseline, or picking fewest tokens instead of most accuracy. */
    @Test
    void maxAccuracyWithinTokensUsesTheBaselineRatio() {
        // R = 0.5: tokens <= 40 -> #1, #2; the most accurate is #2
        assertEquals(List.of(2, 1), trials(Selection.rank(SelectionRule.parse("max-accuracy-within-tokens:0.5"),
                FRONT, BASELINE)));
        // R = 1: tokens <= 80 -> #3 first
        assertEquals(3, Selection.rank(SelectionRule.parse("max-accuracy-within-tokens:1"), FRONT, BASELINE).get(0)
                .trial());
    }

    /** Catches: the drop applied the wrong way round, or the most accurate admitted point chosen. */
    @Test
    void minTokensWithinAccuracyUsesTheBaselineDrop() {
        // D = 0.05: accuracy >= 0.50 -> #2, #3, #4; fewest tokens is #2
        assertEquals(List.of(2, 3, 4), trials(Selection.rank(SelectionRule.parse("min-tokens-within-accuracy:0.05"),
                FRONT, BASELINE)));
        // D = 0: accuracy >= 0.55 -> #3 first
        assertEquals(3, Selection.rank(SelectionRule.parse("min-tokens-within-accuracy:0"), FRONT, BASELINE).get(0)
                .trial());
    }

    /** Catches: --test-also ignored, or a silent fallback when the rule admits nothing. */
    @Test
    void testAlsoTakesTheNextByTheSameRuleAndNothingAdmittedIsAnError() {
        assertEquals(List.of(2, 3), trials(Selection.apply(SelectionRule.knee(), front(), 1)));
        assertEquals(4, Selection.apply(SelectionRule.knee(), front(), 10).size());
        UserFacingException e = assertThrows(UserFacingException.class, () -> Selection.apply(
                SelectionRule.parse("max-accuracy-within-tokens:0.1"), front(), 0));
        assertTrue(e.getMessage().contains("admits no point"), e.getMessage());
    }

    @Test
    void rulesParseAndPrintTheirStoredForm() {
        assertEquals("max-accuracy-within-tokens:0.8", SelectionRule.parse("max-accuracy-within-tokens:0.8").toString());
        assertEquals("knee", SelectionRule.parse(" KNEE ").toString());
        assertThrows(UserFacingException.class, () -> SelectionRule.parse("knee:2"));
        assertThrows(UserFacingException.class, () -> SelectionRule.parse("max-accuracy-within-tokens"));
        assertThrows(UserFacingException.class, () -> SelectionRule.parse("max-accuracy-within-tokens:-1"));
        assertThrows(UserFacingException.class, () -> SelectionRule.parse("min-tokens-within-accuracy:2"));
        assertThrows(UserFacingException.class, () -> SelectionRule.parse("elbow"));
    }

    private static List<Integer> trials(List<FrontPoint> r) {
        return r.stream().map(FrontPoint::trial).toList();
    }
}
