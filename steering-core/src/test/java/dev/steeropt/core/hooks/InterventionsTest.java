package dev.steeropt.core.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.testing.Fixture;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replace, zero and mean ablation and projection against an independent computation on the tiny Llama fixture: the
 * expected run writes the whole patched tensor by hand in Java (a plain hook returning an array built from floats), so
 * a bug in the interventions' position selection, row mapping, dtype handling or arithmetic changes the logits. The
 * identity checks (self-patch, zero direction) run the interventions' own code path and must equal the plain forward
 * bit for bit, in a full forward and through KV-cached greedy generation of a left-padded batch.
 */
class InterventionsTest {
    private static final int LAYER = 1;
    private static LoadedModel model;
    private static int d;
    /** Two left-padded rows: row 0 has 5 prompt tokens, row 1 has 7. */
    private static final PromptBatch TARGET = PromptBatch.leftPad(List.of(new int[] {5, 9, 3, 17, 2},
            new int[] {8, 1, 4, 4, 30, 11, 6}), 0);
    private static final PromptBatch SOURCE = PromptBatch.leftPad(List.of(new int[] {12, 7, 7, 21, 40},
            new int[] {3, 3, 19, 2, 25, 13, 9}), 0);

    @BeforeAll
    static void load() {
        model = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"));
        d = model.config().hiddenSize();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ForwardResult forward(PromptBatch batch, HookSet hooks, HookPoint... capture) {
        return model.forward(batch, List.of(capture), Transformer.Logits.ALL, hooks);
    }

    /** A hook that replaces the activation with {@code edit(before, ctx)}, built in Java as a whole new tensor. */
    private static Hook byHand(BiFunction<float[], HookContext, float[]> edit) {
        return (h, ctx) -> {
            float[] after = edit.apply(h.toFloatArray(), ctx);
            return ctx.manager().create(after, h.getShape());
        };
    }

    private static int seq(PromptBatch b) {
        return b.inputIds()[0].length;
    }

    @Test
    void patchingTheLastPromptTokenFromAnotherRunEqualsTheTensorWrittenByHand() {
        HookPoint p = HookPoint.residPost(LAYER);
        ActivationCapture source = ActivationCapture.of(ActivationCapture.Select.LAST_PROMPT_TOKEN, p);
        model.forward(SOURCE, List.of(), Transformer.Logits.ALL, source.hooks());
        float[][] perRow = {source.get(p, 0, 4), source.get(p, 1, 6)};
        ActivationReplacement patch = ActivationReplacement.of(p, ActivationReplacement.lastPromptToken(perRow),
                InterventionTargets.of(SteerPositions.LAST_PROMPT_TOKEN));
        float[] patched = forward(TARGET, patch.hooks()).logits();
        int s = seq(TARGET);
        float[] expected = forward(TARGET, HookSet.of(p, byHand((h, ctx) -> {
            float[] out = h.clone();
            // the last column is every row's last prompt token under left padding
            System.arraycopy(perRow[0], 0, out, (0 * s + s - 1) * d, d);
            System.arraycopy(perRow[1], 0, out, (1 * s + s - 1) * d, d);
            return out;
        }))).logits();
        assertArrayEquals(expected, patched);
        assertFalse(Arrays.equals(patched, forward(TARGET, HookSet.empty()).logits()), "the patch changes the logits");
    }

    @Test
    void patchingOneRowByPositionLeavesTheOtherRowExactlyAsItWas() {
        HookPoint p = HookPoint.attnOut(0);
        ActivationCapture source = ActivationCapture.of(ActivationCapture.Select.ALL, p);
        model.forward(SOURCE, List.of(), Transformer.Logits.ALL, source.hooks());
        ActivationReplacement patch = ActivationReplacement.of(p, ActivationReplacement.byPosition(source.get(p)),
                InterventionTargets.of(SteerPositions.ALL).onRows(Set.of(1)));
        int s = seq(TARGET);
        float[] expected = forward(TARGET, HookSet.of(p, byHand((h, ctx) -> {
            float[] out = h.clone();
            for (int t = 0; t < s; t++) {
                System.arraycopy(source.get(p, 1, t), 0, out, (1 * s + t) * d, d); // row 1 has no pad
            }
            return out;
        }))).logits();
        assertArrayEquals(expected, forward(TARGET, patch.hooks()).logits());
    }

    @Test
    void selfPatchIsBitIdenticalInAForwardAndThroughKvCachedGeneration() {
        HookPoint p = HookPoint.residPost(LAYER);
        ForwardResult plain = forward(TARGET, HookSet.empty(), p);
        ActivationCapture own = ActivationCapture.of(ActivationCapture.Select.ALL, p);
        int[][] tokens = model.generate(GenerationRequest.builder(TARGET).maxNewTokens(6).hooks(own.hooks()).build())
                .tokens();
        AtomicInteger calls = new AtomicInteger();
        // a forward patched with a forward's own activations (same batch layout)
        ActivationCapture ownForward = ActivationCapture.of(ActivationCapture.Select.ALL, p);
        forward(TARGET, ownForward.hooks());
        ActivationReplacement selfForward = ActivationReplacement.of(p,
                ActivationReplacement.byPosition(ownForward.get(p)), InterventionTargets.EVERYWHERE);
        ForwardResult patched = forward(TARGET, HookSet.of(p, (h, ctx) -> {
            calls.incrementAndGet();
            return selfForward.apply(h, ctx);
        }), p);
        assertArrayEquals(plain.logits(), patched.logits());
        assertArrayEquals(plain.activation(p), patched.activation(p));
        // a KV-cached generation patched, at its prefill and every decode step, with its own generation's activations
        ActivationReplacement self = ActivationReplacement.of(p, ActivationReplacement.byPosition(own.get(p)),
                InterventionTargets.EVERYWHERE);
        HookSet counted = HookSet.of(p, (h, ctx) -> {
            calls.incrementAndGet();
            return self.apply(h, ctx);
        });
        int[][] again = model.generate(GenerationRequest.builder(TARGET).maxNewTokens(6).hooks(counted).build()).tokens();
        assertArrayEquals(tokens, again);
        assertTrue(calls.get() >= 1 + 1 + 5, "prefill and every decode step ran the patch: " + calls.get());
        // a wrong source (the other row's vectors) must change the output, so the identity is not vacuous
        ActivationReplacement swapped = ActivationReplacement.of(p, ActivationReplacement.lastPromptToken(
                new float[][] {own.get(p, 1, 6), own.get(p, 0, 4)}), InterventionTargets.of(SteerPositions.LAST_PROMPT_TOKEN));
        assertFalse(Arrays.equals(plain.logits(), forward(TARGET, swapped.hooks()).logits()));
    }

    @Test
    void aMissingSourcePositionIsAnErrorNotASilentSkip() {
        HookPoint p = HookPoint.residPost(LAYER);
        ActivationReplacement none = ActivationReplacement.of(p, (row, pos, len) -> null, InterventionTargets.EVERYWHERE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> forward(TARGET, none.hooks()));
        assertTrue(e.getMessage().contains("no activation"), e.getMessage());
    }

    @Test
    void zeroAndMeanAblationEqualTheTensorWrittenByHand() {
        HookPoint p = HookPoint.mlpOut(LAYER);
        int s = seq(TARGET);
        float[] mean = new float[d];
        for (int i = 0; i < d; i++) {
            mean[i] = 0.01f * (i % 7) - 0.02f;
        }
        InterventionTargets lastOfRow0 = InterventionTargets.of(SteerPositions.LAST_PROMPT_TOKEN).onRows(Set.of(0));
        for (Ablation a : List.of(Ablation.zero(p, lastOfRow0), Ablation.mean(p, mean, lastOfRow0))) {
            float[] fill = a.mode() == Ablation.Mode.ZERO ? new float[d] : mean;
            float[] expected = forward(TARGET, HookSet.of(p, byHand((h, ctx) -> {
                float[] out = h.clone();
                System.arraycopy(fill, 0, out, (0 * s + s - 1) * d, d);
                return out;
            }))).logits();
            float[] got = forward(TARGET, a.hooks()).logits();
            assertArrayEquals(expected, got, a.toString());
            assertFalse(Arrays.equals(got, forward(TARGET, HookSet.empty()).logits()), a + " changes the logits");
        }
        // every position: zero attention and MLP output of a block leaves its input unchanged (resid_post = resid_pre)
        InterventionTargets all = InterventionTargets.EVERYWHERE;
        HookSet block = Ablation.zero(HookPoint.attnOut(LAYER), all).hooks().with(Ablation.zero(p, all).hooks());
        ForwardResult r = forward(TARGET, block, HookPoint.residPre(LAYER), HookPoint.residPost(LAYER));
        assertArrayEquals(r.activation(HookPoint.residPre(LAYER)), r.activation(HookPoint.residPost(LAYER)));
    }

    @Test
    void projectionRemovesTheDirectionAsComputedInJava() {
        HookPoint p = HookPoint.residPost(LAYER);
        float[] u = new float[d];
        for (int i = 0; i < d; i++) {
            u[i] = (float) Math.sin(i + 1.0);
        }
        DirectionProjection proj = DirectionProjection.of(p, u, InterventionTargets.of(SteerPositions.ALL));
        ForwardResult got = forward(TARGET, proj.hooks(), p);
        double uu = 0;
        for (float x : u) {
            uu += (double) x * x;
        }
        final double norm2 = uu;
        float[] expected = forward(TARGET, HookSet.of(p, byHand((h, ctx) -> {
            float[] out = h.clone();
            for (int pos = 0; pos < h.length / d; pos++) {
                if (ctx.isPad(pos / ctx.seqLen(), pos % ctx.seqLen())) {
                    continue;
                }
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += (double) h[pos * d + i] * u[i];
                }
                for (int i = 0; i < d; i++) {
                    out[pos * d + i] = (float) (h[pos * d + i] - dot * u[i] / norm2);
                }
            }
            return out;
        }))).logits();
        float[] logits = got.logits();
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], logits[i], 1e-4, "logit " + i);
        }
        float[] after = got.activation(p);
        int s = seq(TARGET);
        for (int b = 0; b < 2; b++) {
            for (int t = s - TARGET.promptLength(b); t < s; t++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += (double) after[(b * s + t) * d + i] * u[i];
                }
                assertEquals(0, dot, 1e-4, "component along u left at row " + b + ", column " + t);
            }
        }
    }

    @Test
    void projectingOutAZeroVectorIsBitIdenticalThroughItsCodePath() {
        HookPoint p = HookPoint.residPost(LAYER);
        DirectionProjection zero = DirectionProjection.of(p, new float[d], InterventionTargets.EVERYWHERE);
        AtomicInteger calls = new AtomicInteger();
        HookSet counted = HookSet.of(p, (h, ctx) -> {
            calls.incrementAndGet();
            NDArray out = zero.apply(h, ctx);
            assertTrue(out != h, "the projection ran its arithmetic, not a shortcut");
            return out;
        });
        assertArrayEquals(forward(TARGET, HookSet.empty()).logits(), forward(TARGET, counted).logits());
        int[][] plain = model.generate(GenerationRequest.builder(TARGET).maxNewTokens(6).build()).tokens();
        assertArrayEquals(plain, model.generate(GenerationRequest.builder(TARGET).maxNewTokens(6).hooks(counted).build())
                .tokens());
        assertTrue(calls.get() >= 2, "ran: " + calls.get());
    }

    @Test
    void aVectorOfTheWrongWidthIsRefused() {
        HookPoint p = HookPoint.residPost(LAYER);
        assertThrows(IllegalArgumentException.class, () -> forward(TARGET,
                Ablation.mean(p, new float[d + 1], InterventionTargets.EVERYWHERE).hooks()));
        assertThrows(IllegalArgumentException.class, () -> forward(TARGET,
                DirectionProjection.of(p, new float[d - 1], InterventionTargets.EVERYWHERE).hooks()));
    }
}
