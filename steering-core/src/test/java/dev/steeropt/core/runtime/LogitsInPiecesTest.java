package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full logits copied out a few rows at a time equal the logits of one whole unembedding, for pieces of one row, of
 * two rows (the last piece shorter) and of the whole batch. Exact: each row's product is the same computation.
 */
class LogitsInPiecesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-gpt2-fp32", "tiny-gemma2-fp32", "tiny-gptneox-fp32"})
    void piecesEqualWholeUnembedding(String name) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name)); NDManager call = m.trackedManager("call")) {
            PromptBatch batch = PromptBatch.leftPad(List.of(new int[] {5, 9, 3, 7}, new int[] {4, 4}, new int[] {8, 1, 2}), 0);
            float[] whole = m.forwardNative(call, batch, HookSet.empty(), Transformer.Logits.ALL).toFloatArray();
            NDArray normed = m.forwardNative(call, batch, HookSet.empty(), Transformer.Logits.NORMED);
            long perRow = batch.width() * m.transformer().vocabSize();
            for (long chunk : new long[] {1, 2 * perRow, Long.MAX_VALUE}) {
                assertArrayEquals(whole, LoadedModel.unembedInPieces(m.transformer(), call, normed, chunk),
                        name + ", pieces of " + chunk + " floats");
            }
        }
    }
}
