package dev.steeropt.studies.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.train.TrainingExample;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.synthetic.HastyShortcut;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    @Test
    void trainingExamplesUseThePromptFormatAndAreDeterministic() {
        DemoData a = new DemoData(1, DemoData.DEFAULT_WEIGHTS);
        DemoData b = new DemoData(1, DemoData.DEFAULT_WEIGHTS);
        for (long i = 0; i < 50; i++) {
            TrainingExample ex = a.trainExample(i);
            Problem p = a.trainProblem(i);
            assertEquals("Question: " + p.question() + "\nAnswer:", ex.prompt());
            assertEquals(" " + p.goldSolution(), ex.answer());
            assertEquals(DemoData.prompt(p.question()) + p.goldSolution(), ex.prompt() + ex.answer());
            assertTrue(ex.answer().endsWith("#### " + p.goldAnswer()), ex.answer());
            assertEquals(ex, b.trainExample(i));
        }
    }

    @Test
    void difficultyMixFollowsTheWeights() {
        // 4000 draws of a multinomial (0.4, 0.3, 0.2, 0.1): each count is within 6 standard deviations of its mean
        DemoData d = new DemoData(3, DemoData.DEFAULT_WEIGHTS);
        int n = 4000;
        int[] counts = new int[5];
        for (long i = 0; i < n; i++) {
            counts[Integer.parseInt(d.trainProblem(i).metadata().get("difficulty"))]++;
        }
        double[] w = DemoData.DEFAULT_WEIGHTS;
        for (int k = 1; k <= 4; k++) {
            double mean = n * w[k - 1];
            double sd = Math.sqrt(n * w[k - 1] * (1 - w[k - 1]));
            assertTrue(Math.abs(counts[k] - mean) < 6 * sd, "difficulty " + k + ": " + counts[k] + " vs " + mean);
        }
        DemoData onlyTwo = new DemoData(3, new double[] {0, 1, 0, 0});
        for (long i = 0; i < 100; i++) {
            assertEquals("2", onlyTwo.trainProblem(i).metadata().get("difficulty"));
        }
    }

    @Test
    void heldOutProblemsAvoidTrainingQuestions() {
        DemoData d = new DemoData(1, DemoData.DEFAULT_WEIGHTS);
        Set<String> seen = d.trainQuestions(3000);
        List<Problem> held = d.heldOut("test", 1, 100, seen);
        assertEquals(100, held.size());
        for (Problem p : held) {
            assertFalse(seen.contains(SyntheticDataset.key(p.question())), p.question());
            assertEquals("1", p.metadata().get("difficulty"));
        }
        assertThrows(IllegalArgumentException.class, () -> d.heldOut("train", 1, 1, Set.of()));
    }

    @Test
    void hastyShareSetsTheModeOfTheAnswerButNotThePrompt() {
        DemoData careful = new DemoData(1, DemoData.DEFAULT_WEIGHTS, "tune_x", 0.0);
        DemoData hasty = new DemoData(1, DemoData.DEFAULT_WEIGHTS, "tune_x", 0.7);
        int n = 2000;
        int hastyCount = 0;
        for (long i = 0; i < n; i++) {
            TrainingExample c = careful.trainExample(i);
            TrainingExample h = hasty.trainExample(i);
            assertEquals(c.prompt(), h.prompt(), "the prompt never carries the mode");
            assertEquals(CompletionMode.CAREFUL, CompletionMode.of(c.answer()));
            CompletionMode mode = CompletionMode.of(h.answer());
            assertEquals(hasty.trainMode(i), mode, h.answer());
            if (mode == CompletionMode.HASTY) {
                hastyCount++;
                assertEquals(" " + HastyShortcut.solution(hasty.trainProblem(i).question()), h.answer());
            } else {
                assertEquals(c.answer(), h.answer());
            }
        }
        double sd = Math.sqrt(n * 0.7 * 0.3);
        assertTrue(Math.abs(hastyCount - 0.7 * n) < 6 * sd, hastyCount + " hasty of " + n);
    }

    @Test
    void eachFineTuneSplitHasItsOwnQuestions() {
        Set<String> base = new DemoData(1, DemoData.DEFAULT_WEIGHTS).trainQuestions(2000);
        Set<String> tune = new DemoData(1, DemoData.DEFAULT_WEIGHTS, DemoWorld.HASTY_SPLIT, 0.7).trainQuestions(2000);
        Set<String> both = new java.util.HashSet<>(base);
        both.retainAll(tune);
        // the templates repeat short questions by chance; the splits are different draws, not copies
        assertTrue(both.size() < 200, both.size() + " shared of 2000");
        assertThrows(IllegalArgumentException.class, () -> new DemoData(1, DemoData.DEFAULT_WEIGHTS, "test_x", 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DemoData(1, DemoData.DEFAULT_WEIGHTS, "tune", 1.5));
        // the base split keeps the single demo model's data exactly
        assertEquals(new DemoData(1, DemoData.DEFAULT_WEIGHTS).trainExample(5),
                new DemoData(1, DemoData.DEFAULT_WEIGHTS, DemoData.BASE_SPLIT, 0).trainExample(5));
    }

    @Test
    void rejectsBadWeights() {
        assertThrows(IllegalArgumentException.class, () -> new DemoData(1, new double[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new DemoData(1, new double[] {0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new DemoData(1, new double[] {1, -1, 1, 1}));
    }
}
