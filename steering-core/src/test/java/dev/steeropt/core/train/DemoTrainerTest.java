package dev.steeropt.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny model (d_model 32, 2 layers) memorises four short answers: the loss must fall well below its start, and the
 * written HF directory, loaded by the ordinary runtime loader, must greedily reproduce the answers, which checks the
 * saved names, splits and transposes against the trained weights.
 */
class DemoTrainerTest {
    private static final List<TrainingExample> DATA = List.of(
            new TrainingExample("Q: cat\nA:", " meow"),
            new TrainingExample("Q: dog\nA:", " woof"),
            new TrainingExample("Q: cow\nA:", " moo"),
            new TrainingExample("Q: owl\nA:", " hoot"));

    private static TrainConfig tiny(int steps) {
        return new TrainConfig(32, 2, 2, 64, 32, 10000.0, 4, steps, 0, 5e-3, 5e-4, 5, 0.0, 1.0, 7);
    }

    @Test
    void lossFallsAndTheWrittenModelReproducesWhatItLearned(@TempDir Path dir) {
        TrainingResult r = DemoTrainer.train(tiny(150), i -> DATA.get((int) (i % DATA.size())), dir, null,
                InstantSource.system(), 0);
        assertEquals(150, r.stepsDone());
        assertFalse(r.stoppedByTime());
        assertEquals(600, r.examplesSeen());
        assertTrue(r.firstLoss() > 3.0, "an untrained 100-way softmax starts near ln(100) = 4.6, got " + r.firstLoss());
        assertTrue(r.finalLoss() < 0.1, "four memorised answers should reach a loss below 0.1, got " + r.finalLoss());
        assertTrue(r.finalLoss() < r.firstLoss() / 20, r.firstLoss() + " -> " + r.finalLoss());
        try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals("llama", model.config().modelType());
            for (TrainingExample ex : DATA) {
                GenerationResult g = model.generate(GenerationRequest.builder(PromptBatch.single(tok.encode(ex.prompt(), true)))
                        .maxNewTokens(10).stopTokenIds(model.eosTokenIds()).build());
                assertEquals(GenerationResult.FinishReason.STOP_TOKEN, g.sequences().get(0).reason());
                assertEquals(ex.answer(), tok.decode(g.tokens()[0], true), "answer to " + ex.prompt());
            }
        }
    }

    @Test
    void aFineTuneStartsFromTheCheckpointsWeights(@TempDir Path base, @TempDir Path tuned, @TempDir Path fresh) {
        TrainingResult b = DemoTrainer.train(tiny(150), i -> DATA.get((int) (i % DATA.size())), base, null,
                InstantSource.system(), 0);
        assertTrue(b.finalLoss() < 0.1, "base " + b.finalLoss());
        // the same data from the checkpoint: the first batches already score like the end of the base run (F16 weights)
        TrainConfig tune = new TrainConfig(32, 2, 2, 64, 48, 10000.0, 4, 3, 0, 1e-5, 1e-6, 1, 0.0, 1.0, 8);
        TrainingResult t = DemoTrainer.train(tune, i -> DATA.get((int) (i % DATA.size())), tuned, null,
                InstantSource.system(), 0, base);
        assertTrue(t.firstLoss() < 0.2, "fine-tune starts at " + t.firstLoss() + ", base ended at " + b.finalLoss());
        TrainingResult f = DemoTrainer.train(tune, i -> DATA.get((int) (i % DATA.size())), fresh, null,
                InstantSource.system(), 0);
        assertTrue(f.firstLoss() > 3.0, "a fresh init starts near ln(100), got " + f.firstLoss());
        // a checkpoint of another shape is refused with the tensor named
        TrainConfig wider = new TrainConfig(64, 2, 2, 64, 32, 10000.0, 4, 1, 0, 1e-5, 1e-6, 1, 0.0, 1.0, 8);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DemoTrainer.train(wider, i -> DATA.get(0), fresh, null, InstantSource.system(), 0, base));
        assertTrue(e.getMessage().contains("model.embed_tokens.weight"), e.getMessage());
    }

    @Test
    void batchesLongerThanAnInferenceRowGroupTrainAsOneBatch(@TempDir Path dir) {
        // 16 rows of 42 tokens: 672 tokens, more than the runtime's default row group of 512 for long inference steps
        TrainConfig c = new TrainConfig(32, 2, 2, 64, 64, 10000.0, 16, 3, 0, 5e-3, 5e-4, 1, 0.0, 1.0, 7);
        TrainingResult r = DemoTrainer.train(c, i -> new TrainingExample("Q: " + "x".repeat(30) + " " + (i % 10) + "\nA:",
                " " + (i % 10)), dir, null, InstantSource.system(), 0);
        assertEquals(3, r.stepsDone());
        assertTrue(Double.isFinite(r.finalLoss()) && r.finalLoss() > 0, "loss " + r.finalLoss());
    }

    @Test
    void sameSeedGivesTheSameLoss(@TempDir Path a, @TempDir Path b) {
        TrainingResult r1 = DemoTrainer.train(tiny(5), i -> DATA.get((int) (i % DATA.size())), a, null,
                InstantSource.system(), 0);
        TrainingResult r2 = DemoTrainer.train(tiny(5), i -> DATA.get((int) (i % DATA.size())), b, null,
                InstantSource.system(), 0);
        assertEquals(r1.finalLoss(), r2.finalLoss(), 1e-5);
    }

    @Test
    void timeBudgetStopsTraining(@TempDir Path dir) {
        long[] now = {0};
        InstantSource clock = () -> java.time.Instant.ofEpochMilli(now[0] += 400); // every read advances 0.4 s
        TrainConfig c = tiny(50).withBudget(50, 1000);
        TrainingResult r = DemoTrainer.train(c, i -> DATA.get((int) (i % DATA.size())), dir, null, clock, 0);
        assertTrue(r.stoppedByTime());
        assertTrue(r.stepsDone() < 50 && r.stepsDone() >= 1, "steps " + r.stepsDone());
    }

    @Test
    void weightsLiveInTheModelsOwnScopeAndAreFreedOnClose() {
        try (NDManager root = NDManager.newBaseManager()) {
            TrainableLlama m = new TrainableLlama(root, tiny(1), CharVocabulary.ascii().size());
            assertEquals(100 * 32 * 2 + 2 * (32 * 96 + 32 * 32 + 32 * 128 + 64 * 32 + 64) + 32, m.parameterCount());
            assertFalse(root.getManagedArrays().isEmpty());
            m.close();
            assertTrue(root.getManagedArrays().isEmpty(), "left behind: " + root.getManagedArrays().size());
        }
    }
}
