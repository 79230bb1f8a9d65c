package dev.steeropt.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerationStatsTest {

    @Test
    void lengthStatisticsByHand() {
        // tokens 10, 20, 30, 40: mean 25, median 25, population sd sqrt(125) = 11.1803, cv 0.44721
        GenerationStats s = GenerationStats.of(List.of(new GenerationStats.Completion("a", 10),
                new GenerationStats.Completion("b", 20), new GenerationStats.Completion("c", 30),
                new GenerationStats.Completion("d", 40)));
        assertEquals(4, s.n());
        assertEquals(25.0, s.meanTokens(), 1e-12);
        assertEquals(25.0, s.medianTokens(), 1e-12);
        assertEquals(Math.sqrt(125) / 25, s.tokenCv(), 1e-12);
        GenerationStats odd = GenerationStats.of(List.of(new GenerationStats.Completion("", 7),
                new GenerationStats.Completion("", 1), new GenerationStats.Completion("", 100)));
        assertEquals(7.0, odd.medianTokens(), 0.0);
        GenerationStats empty = GenerationStats.of(List.of(new GenerationStats.Completion("", 0)));
        assertEquals(0.0, empty.tokenCv(), 0.0);
    }

    @Test
    void markerMeansArePerCompletion() {
        GenerationStats s = GenerationStats.of(List.of(
                new GenerationStats.Completion("Step 1: add.\nStep 2: wait, let me re-check.\nHmm, maybe 5.", 20),
                new GenerationStats.Completion("The answer is 5.", 5)));
        assertEquals(1.0, s.meanStepLines(), 1e-12);   // 2 step lines / 2 completions
        assertEquals(1.0, s.meanBacktracks(), 1e-12);  // "wait", "let me re-check"
        assertEquals(1.0, s.meanHesitations(), 1e-12); // "hmm", "maybe"
        assertEquals(new ReasoningMarkers(0, 0, 0), s.perCompletion().get(1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // text | steps | backtracks | hesitations
            "1. Add 3.\\n2) Multiply.\\n- done\\n* also                 | 4 | 0 | 0",
            "Step 3: x\\n  step 4 y\\nStepping stones               | 2 | 0 | 0",
            "Wait. Actually, hold on; on second thought I made a mistake | 0 | 5 | 0",
            "Let me recheck. Let me double-check. That's wrong.        | 0 | 3 | 0",
            "Hmmm, umm, uh, perhaps I think I guess, not sure          | 0 | 0 | 7",
            "Awaited umbrella, humming thinker                          | 0 | 0 | 0",
            "3.5 apples is 12 - 4                                      | 0 | 0 | 0",
    })
    void countsMarkers(String text, int steps, int backtracks, int hesitations) {
        assertEquals(new ReasoningMarkers(steps, backtracks, hesitations),
                ReasoningMarkers.of(text.replace("\\n", "\n")));
    }
}
