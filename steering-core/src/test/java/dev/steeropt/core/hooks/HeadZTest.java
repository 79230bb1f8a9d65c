package dev.steeropt.core.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code blocks.{i}.attn.hook_z} and per-head replacement on fixture models, against independent computations:
 * (a) the captured hook_z through the output projection read from the safetensors file (multiplied out in Java)
 * equals {@code hook_attn_out}; (b) replacing each head by its own captured values through the real replacement path
 * is bit-identical to no intervention (also with the block's row groups on, where the hook sees the concatenated
 * batch); (c) replacing one head by hand-written values equals a forward whose hook_z block was written by hand in
 * Java, leaves the other heads' columns bit-identical and changes the logits; (d) the grouped-query fixtures
 * (n_kv_heads &lt; n_heads) expose one block per query head.
 */
class HeadZTest {
    private static final int LAYER = 1;
    private static final PromptBatch BATCH = PromptBatch.leftPad(List.of(new int[] {5, 9, 3, 17, 2},
            new int[] {8, 1, 4, 4, 30, 11, 6}, new int[] {7, 2, 13}), 0);

    /** Output projection name ({@code [out, in]} Linear, or GPT-2's {@code [in, out]} Conv1D) and whether it is Conv1D. */
    private record Proj(String weight, String bias, boolean conv1d) {}

    private static Proj proj(String model) {
        return switch (model) {
            case "tiny-gpt2-fp32" -> new Proj("transformer.h." + LAYER + ".attn.c_proj.weight",
                    "transformer.h." + LAYER + ".attn.c_proj.bias", true);
            default -> new Proj("model.layers." + LAYER + ".self_attn.o_proj.weight", null, false);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen2-fp32", "tiny-gpt2-fp32"})
    void hookZThroughTheOutputProjectionByHandIsAttnOut(String name) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name));
                SafetensorsFile st = SafetensorsFile.open(Fixture.modelDir(name).resolve("model.safetensors"))) {
            int d = m.config().hiddenSize();
            int zw = m.config().numHeads() * m.config().headDim();
            ForwardResult r = m.forward(BATCH, List.of(HookPoint.z(LAYER), HookPoint.attnOut(LAYER)),
                    Transformer.Logits.NONE, HookSet.empty());
            float[] z = r.activation(HookPoint.z(LAYER));
            float[] attn = r.activation(HookPoint.attnOut(LAYER));
            int tokens = BATCH.batchSize() * BATCH.width();
            assertEquals(tokens * zw, z.length, "hook_z is [batch, pos, n_heads·d_head]");
            Proj p = proj(name);
            float[] w = st.readFloats(p.weight());
            float[] bias = p.bias() == null ? new float[d] : st.readFloats(p.bias());
            double worst = 0;
            for (int row = 0; row < BATCH.batchSize(); row++) {
                for (int t = BATCH.width() - BATCH.promptLength(row); t < BATCH.width(); t++) {
                    int at = row * BATCH.width() + t;
                    for (int o = 0; o < d; o++) {
                        double sum = bias[o];
                        for (int i = 0; i < zw; i++) {
                            sum += z[at * zw + i] * (double) (p.conv1d() ? w[i * d + o] : w[o * zw + i]);
                        }
                        worst = Math.max(worst, Math.abs(sum - attn[at * d + o]));
                    }
                }
            }
            assertTrue(worst < 1e-4, name + ": hook_z · W_O differs from hook_attn_out by " + worst);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void replacingEachHeadWithItsOwnValuesIsBitIdentical(int rowGroupTokens) {
        String before = System.getProperty("steeropt.rowGroupTokens");
        if (rowGroupTokens > 0) {
            System.setProperty("steeropt.rowGroupTokens", Integer.toString(rowGroupTokens));
        }
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"))) {
            float[] plain = m.forward(BATCH, List.of(), Transformer.Logits.ALL, HookSet.empty()).logits();
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.ALL, HookPoint.z(LAYER));
            float[] captured = m.forward(BATCH, List.of(), Transformer.Logits.ALL, cap.hooks()).logits();
            assertArrayEquals(plain, captured, "a capture at hook_z changes nothing");
            for (int head = 0; head < m.config().numHeads(); head++) {
                ActivationReplacement self = ActivationReplacement.onHead(LAYER, head, m.config().headDim(),
                        ActivationReplacement.byPosition(cap.get(HookPoint.z(LAYER))), InterventionTargets.EVERYWHERE);
                assertArrayEquals(plain, m.forward(BATCH, List.of(), Transformer.Logits.ALL, self.hooks()).logits(),
                        "head " + head + " self-patch");
            }
        } finally {
            if (before == null) {
                System.clearProperty("steeropt.rowGroupTokens");
            } else {
                System.setProperty("steeropt.rowGroupTokens", before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen2-fp32"})
    void replacingOneHeadByHandChangesOnlyThatHead(String name) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name))) {
            int heads = m.config().numHeads();
            int dh = m.config().headDim();
            int zw = heads * dh;
            int head = 1;
            HookPoint zp = HookPoint.z(LAYER);
            ForwardResult plain = m.forward(BATCH, List.of(zp), Transformer.Logits.ALL, HookSet.empty());
            // hand-written source rows: head 1's columns 0.25 + a small ramp, the other columns a value that must
            // never reach the model (only the patched head's columns are read)
            ActivationReplacement.Source src = (row, pos, len) -> {
                float[] v = new float[zw];
                java.util.Arrays.fill(v, 1000f);
                for (int i = 0; i < dh; i++) {
                    v[head * dh + i] = 0.25f + 0.01f * i + 0.1f * row - 0.05f * pos;
                }
                return v;
            };
            ActivationReplacement patch = ActivationReplacement.onHead(LAYER, head, dh, src, InterventionTargets.EVERYWHERE);
            ForwardResult patched = m.forward(BATCH, List.of(zp), Transformer.Logits.ALL, patch.hooks());
            Hook byHand = (h, ctx) -> {
                float[] x = h.toFloatArray();
                for (int b = 0; b < ctx.batchSize(); b++) {
                    for (int t = 0; t < ctx.seqLen(); t++) {
                        if (ctx.isPad(b, t)) {
                            continue;
                        }
                        for (int i = 0; i < dh; i++) {
                            x[(b * ctx.seqLen() + t) * zw + head * dh + i] = 0.25f + 0.01f * i + 0.1f * ctx.row(b)
                                    - 0.05f * ctx.positionId(b, t);
                        }
                    }
                }
                return ctx.manager().create(x, h.getShape());
            };
            float[] expected = m.forward(BATCH, List.of(), Transformer.Logits.ALL, HookSet.of(zp, byHand)).logits();
            assertArrayEquals(expected, patched.logits(), name + ": the head patch equals hook_z written by hand");
            float[] zBefore = plain.activation(zp);
            float[] zAfter = patched.activation(zp);
            int changed = 0;
            for (int i = 0; i < zw * BATCH.batchSize() * BATCH.width(); i++) {
                int col = i % zw;
                if (col / dh != head) {
                    assertEquals(zBefore[i], zAfter[i], 0f, "column " + col + " of another head was touched");
                } else if (zBefore[i] != zAfter[i]) {
                    changed++;
                }
            }
            assertTrue(changed > 0, "head " + head + " was not written");
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                diff = Math.max(diff, Math.abs(expected[i] - plain.logits()[i]));
            }
            assertTrue(diff > 1e-3, name + ": replacing a head must move the logits; max change " + diff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen2-fp32"})
    void groupedQueryModelsHaveOneBlockPerQueryHead(String name) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name))) {
            assertTrue(m.config().numKvHeads() < m.config().numHeads(), name + " is a grouped-query fixture");
            float[] z = m.forward(BATCH, List.of(HookPoint.z(0)), Transformer.Logits.NONE, HookSet.empty())
                    .activation(HookPoint.z(0));
            assertEquals(BATCH.batchSize() * BATCH.width() * m.config().numHeads() * m.config().headDim(), z.length);
            // the two query heads sharing key/value head 0 read the same values but weight them differently
            int dh = m.config().headDim();
            int zw = m.config().numHeads() * dh;
            int last = (BATCH.width() - 1) * zw; // row 0, last token
            boolean differ = false;
            for (int i = 0; i < dh; i++) {
                differ |= z[last + i] != z[last + dh + i];
            }
            assertTrue(differ, "query heads 0 and 1 share a key/value head but have their own outputs");
            int lastHead = m.config().numHeads() - 1;
            float[] zero = new float[zw];
            ActivationReplacement p = ActivationReplacement.onHead(0, lastHead, dh, (row, pos, len) -> zero,
                    InterventionTargets.EVERYWHERE);
            float[] after = m.forward(BATCH, List.of(HookPoint.z(0)), Transformer.Logits.NONE, p.hooks())
                    .activation(HookPoint.z(0));
            for (int i = 0; i < dh; i++) {
                assertEquals(0f, after[last + lastHead * dh + i], 0f, "the last query head is patched");
            }
            ActivationReplacement beyond = ActivationReplacement.onHead(0, m.config().numHeads(), dh,
                    (row, pos, len) -> zero, InterventionTargets.EVERYWHERE);
            assertThrows(IllegalArgumentException.class,
                    () -> m.forward(BATCH, List.of(), Transformer.Logits.LAST, beyond.hooks()),
                    "a head past n_heads (e.g. counted in key/value heads) is refused");
        }
    }

    @Test
    void aHeadIsPatchedOnlyAtHookZ() {
        assertThrows(IllegalArgumentException.class, () -> ActivationReplacement.of(HookPoint.attnOut(0),
                (row, pos, len) -> null, InterventionTargets.EVERYWHERE).onlyHead(0, 16));
    }
}
