package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.studies.spec.PairBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contrast pairs longer than the model's context are skipped (or, if all are, refused) rather than crashing. */
class VectorBuilderTest {
    static final Path MODEL = Path.of("src/test/resources/models/tiny-llama-fp32");

    @TempDir
    Path dir;

    static Problem problem(String id, int solutionChars) {
        String solution = "x".repeat(solutionChars) + "\n#### 7";
        return new Problem(id, "What is 3 + 4?", solution, "7", Map.of());
    }

    @Test
    void pairsBeyondTheContextAreSkippedAndAllTooLongIsAUsageError() throws Exception {
        try (LoadedModel model = LoadedModel.load(MODEL); Tokenizer tok = Tokenizer.load(MODEL)) {
            int maxPositions = model.config().maxPositions();
            List<Problem> items = List.of(problem("short-1", 10), problem("long-1", 4 * maxPositions),
                    problem("short-2", 20));
            Split train = Split.of("train", items.stream().map(Problem::id).toList());
            ActivationStore cache = ActivationStore.open(dir.resolve("cache"), 1 << 26);
            Progress progress = new Progress(new PrintWriter(new StringWriter()));
            LayerVectors v = VectorBuilder.build(model, "fp", List.of(1), train, items, "ph", Problem::question,
                    s -> tok.encode(s, true), cache, PairBuilder.GOLD_VS_CORRUPTED_ANSWER, progress);
            float[] vec = v.get(1).values();
            assertEquals(model.config().hiddenSize(), vec.length);
            double norm = 0;
            for (float f : vec) {
                norm += f * f;
            }
            assertNotEquals(0.0, norm, "the two short pairs still make a vector");
            assertEquals("2", v.get(1).metadata().get(dev.steeropt.core.steering.SteeringVector.KEY_N_PAIRS),
                    "only the two pairs that fit are used: " + v.get(1).metadata());

            List<Problem> allLong = List.of(problem("long-2", 4 * maxPositions));
            UserFacingException e = assertThrows(UserFacingException.class, () -> VectorBuilder.build(model, "fp",
                    List.of(1), Split.of("train", List.of("long-2")), allLong, "ph", Problem::question,
                    s -> tok.encode(s, true), cache, PairBuilder.GOLD_VS_CORRUPTED_ANSWER, progress));
            assertTrue(e.getMessage().contains("answer_off_by_one"), e.getMessage());
        }
    }

    @Test
    void carefulVsHastyPairsEndOnTheSameTokenAndSkipQuestionsWithoutNumbers() {
        Problem p = new Problem("p", "Ann buys 3 pens for $4 each. How much does she spend?",
                "She spends 3*4=<<3*4=12>>12 dollars.\n#### 12", "12", Map.of());
        var t = VectorBuilder.pair(PairBuilder.CAREFUL_VS_HASTY, p, "Q\nAnswer: ");
        assertEquals("Q\nAnswer: She spends 3*4=<<3*4=12>>12 dollars.\n#### ", t.positive());
        assertEquals("Q\nAnswer: 3+4=7\n#### ", t.negative());
        Problem wordy = new Problem("w", "How many legs does a cat have?", "A cat has four.\n#### 4", "4", Map.of());
        Problem longOne = new Problem("l", "Add 1 and 2.", "x".repeat(500) + "\n#### 3", "3", Map.of());
        List<VectorBuilder.Encoded> kept = VectorBuilder.encodedPairs(PairBuilder.CAREFUL_VS_HASTY,
                List.of(wordy, p, longOne), q -> "Q\nAnswer: ", text -> new int[text.length()], 100);
        assertEquals(List.of("p"), kept.stream().map(e -> e.item().id()).toList(), "no number to sum, then too long");
        assertEquals(t.positive().length(), kept.get(0).positive().length);
    }
}
