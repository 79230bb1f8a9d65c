package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.StepPositions;
import dev.steeropt.core.model.layers.ForwardContext;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.testing.Assert;
import dev.steeropt.core.testing.Fixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A multi-token step run in row groups ({@link ForwardContext#setRowGroupTokens}) gives the logits of the whole batch
 * at once, with and without a KV cache, and leaves the same keys and values in the cache (checked through a following
 * one-token step). Tolerance 1e-5: the groups run the same ops on fewer rows, so only the matrix kernels' blocking can
 * change the rounding (in practice the results are bit-identical).
 */
class RowGroupTest {
    private static final double ATOL = 1e-5;

    /** Five left-padded rows of 9..14 tokens. */
    private static PromptBatch batch(int vocab) {
        SplittableRandom rnd = new SplittableRandom(11);
        List<int[]> rows = new ArrayList<>();
        for (int len : new int[] {14, 9, 12, 14, 10}) {
            rows.add(rnd.ints(len, 1, vocab).toArray());
        }
        return PromptBatch.leftPad(rows, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen2-fp32", "tiny-gpt2-fp32", "tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32", "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"})
    void groupedStepEqualsWholeBatch(String name) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name))) {
            PromptBatch b = batch(m.config().vocabSize());
            // 0: the whole batch at once; 14 tokens: one row per group; 30 tokens: two rows, the last group one row
            float[][] plain = run(m, b, 0, false);
            float[][] cached = run(m, b, 0, true);
            for (int tokens : new int[] {14, 30}) {
                float[][] g = run(m, b, tokens, false);
                Assert.close(plain[0], g[0], ATOL, name + " logits, no cache, groups of " + tokens + " tokens");
                float[][] gc = run(m, b, tokens, true);
                Assert.close(cached[0], gc[0], ATOL, name + " logits, KV cache, groups of " + tokens + " tokens");
                Assert.close(cached[1], gc[1], ATOL, name + " next step after a grouped prefill, groups of " + tokens);
            }
            Assert.close(plain[0], cached[0], ATOL, name + " logits with and without a cache");
        }
    }

    /** Logits of a full-width step, and (with a cache) the logits of one more token per row. */
    private static float[][] run(LoadedModel m, PromptBatch batch, int groupTokens, boolean withCache) {
        int b = batch.batchSize();
        int t = batch.width();
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        int[] posJ = new int[b * t];
        int[] maskJ = new int[b * t];
        float[] mask = new float[b * t * t];
        float[] pad = new float[b * t];
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < t; c++) {
                ids[r * t + c] = batch.id(r, c);
                posJ[r * t + c] = batch.positionId(r, c);
                pos[r * t + c] = posJ[r * t + c];
                maskJ[r * t + c] = batch.mask(r, c);
                pad[r * t + c] = batch.mask(r, c) == 1 ? 0f : KvCache.MASKED;
                for (int u = 0; u < t; u++) {
                    mask[(r * t + c) * t + u] = u <= c && batch.mask(r, u) == 1 ? 0f : KvCache.MASKED;
                }
            }
        }
        int[] rows = new int[b];
        for (int r = 0; r < b; r++) {
            rows[r] = r;
        }
        try (NDManager call = m.trackedManager("call")) {
            KvCache cache = withCache ? KvCache.allocate(call, m.config(), b, t + 1, m.dataType(), pad, t) : null;
            StepPositions meta = new StepPositions(b, t, posJ, maskJ, batch.promptLengths(), rows, true);
            ForwardContext ctx = new ForwardContext(call, call, new HashMap<>(), HookSet.empty(), meta,
                    call.create(mask, new Shape(b, 1, 1, t, t)), cache, m.dataType());
            ctx.setRowGroupTokens(groupTokens);
            NDArray logits = m.transformer().forward(call.create(ids, new Shape(b, t)), call.create(pos, new Shape(b, t)), ctx,
                    Transformer.Logits.ALL);
            assertEquals(groupTokens == 0 ? b : Math.max(1, groupTokens / t), ctx.rowsPerGroup(b, t), "rows per group");
            float[] all = logits.toFloatArray();
            if (cache == null) {
                return new float[][] {all};
            }
            cache.advance(t);
            long[] next = new long[b];
            long[] nextPos = new long[b];
            int[] nextPosJ = new int[b];
            int[] ones = new int[b];
            for (int r = 0; r < b; r++) {
                next[r] = (r * 7 + 3) % m.config().vocabSize();
                nextPosJ[r] = batch.promptLength(r);
                nextPos[r] = nextPosJ[r];
                ones[r] = 1;
            }
            StepPositions one = new StepPositions(b, 1, nextPosJ, ones, batch.promptLengths(), rows, false);
            ForwardContext step = new ForwardContext(call, call, new HashMap<>(), HookSet.empty(), one,
                    cache.decodeMask(call, t + 1), cache, m.dataType());
            NDArray stepLogits = m.transformer().forward(call.create(next, new Shape(b, 1)), call.create(nextPos, new Shape(b, 1)),
                    step, Transformer.Logits.LAST);
            return new float[][] {all, stepLogits.toFloatArray()};
        }
    }
}
