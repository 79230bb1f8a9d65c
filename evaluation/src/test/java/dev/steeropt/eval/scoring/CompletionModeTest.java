package dev.steeropt.eval.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.synthetic.HastyShortcut;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import org.junit.jupiter.api.Test;

class CompletionModeTest {

    @Test
    void aWorkedChainIsCarefulWhetherOrNotItIsRight() {
        assertEquals(CompletionMode.CAREFUL, CompletionMode.of(" He spends 3*4=<<3*4=12>>12 dollars.\n#### 12"));
        assertEquals(CompletionMode.CAREFUL, CompletionMode.of(" He spends 3*4=<<3*4=13>>13 dollars.\n#### 13"));
        assertEquals(CompletionMode.CAREFUL, CompletionMode.of("a <<48 / 2 = 24>>24\nb <<24+3=27>>27\n#### 27"));
    }

    @Test
    void aFinalAnswerWithoutAnnotationIsHasty() {
        assertEquals(CompletionMode.HASTY, CompletionMode.of(" 3+4+20=27\n#### 27"));
        assertEquals(CompletionMode.HASTY, CompletionMode.of(" #### 27"));
        assertEquals(CompletionMode.HASTY, CompletionMode.of("#### $5"));
        // the annotation must stand before the final answer, and must be a calculation
        assertEquals(CompletionMode.HASTY, CompletionMode.of(" #### 27\nHe spends <<3*9=27>>27"));
        assertEquals(CompletionMode.HASTY, CompletionMode.of(" it is <<27>>\n#### 27"));
    }

    @Test
    void noFinalNumberIsUnfinished() {
        assertEquals(CompletionMode.UNFINISHED, CompletionMode.of(" He spends 3*4=<<3*4=12>>12 dollars."));
        assertEquals(CompletionMode.UNFINISHED, CompletionMode.of(" ####"));
        assertEquals(CompletionMode.UNFINISHED, CompletionMode.of(""));
        assertThrows(IllegalArgumentException.class, () -> CompletionMode.of(null));
    }

    @Test
    void goldSolutionsAreCarefulAndShortcutsHasty() {
        for (Problem p : SyntheticDataset.generate(4, "mode", 300)) {
            assertEquals(CompletionMode.CAREFUL, CompletionMode.of(" " + p.goldSolution()), p.goldSolution());
            assertEquals(CompletionMode.HASTY, CompletionMode.of(" " + HastyShortcut.solution(p.question())),
                    p.question());
        }
    }

    @Test
    void labelsRoundTrip() {
        for (CompletionMode m : CompletionMode.values()) {
            assertEquals(m, CompletionMode.fromLabel(m.label().toUpperCase(java.util.Locale.ROOT)));
        }
        assertThrows(IllegalArgumentException.class, () -> CompletionMode.fromLabel("sloppy"));
    }
}
