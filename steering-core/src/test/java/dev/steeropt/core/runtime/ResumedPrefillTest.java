package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.SteeredGeneration;
import dev.steeropt.core.steering.SteeredResult;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A prefill that resumes at block L from a kept block input ({@link DecodeCall#resume}) against the full
 * prefill with the same hooks, on three fixture architectures (RoPE llama and qwen2, learned-position GPT-2), a
 * left-padded batch of three prompts of different lengths, and L = 0, the middle block and the last block.
 *
 * <p>Tolerance: none. The resumed path runs the same ops, in the same order, on the same inputs as the full prefill
 * for blocks L..N-1, and copies the keys and values of blocks 0..L-1, so every logit must be equal bit for bit.
 */
class ResumedPrefillTest {
    private static final int STEPS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-qwen2-fp32", "tiny-gpt2-fp32", "tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32", "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"})
    void resumingAtAnyLayerEqualsTheFullPrefillBitForBit(String name) {
        try (Fixture fixture = Fixture.open(name); LoadedModel model = LoadedModel.load(fixture.dir());
                PromptState prefix = model.prefill(paddedBatch(fixture), STEPS,
                        IntStream.range(0, model.config().numLayers()).boxed().collect(Collectors.toSet()))) {
            PromptBatch batch = paddedBatch(fixture);
            int n = model.config().numLayers();
            Set<Integer> all = IntStream.range(0, n).boxed().collect(Collectors.toSet());
            assertEquals(new TreeSet<>(all), prefix.residualLayers());
            for (int layer : new TreeSet<>(List.of(0, n / 2, n - 1))) {
                float[] v = vector(model.config().hiddenSize(), layer);
                // steering the whole prompt at the layer's output, and a hook at the very block input that is resumed
                HookSet post = ActivationAddition.of(layer, v, 3f, SteerPositions.ALL).hooks();
                HookSet pre = HookSet.of(HookPoint.residPre(layer), (x, c) -> x.mul(1.5f));
                for (HookSet hooks : List.of(post, pre, post.with(pre))) {
                    float[][][] full;
                    float[][][] resumed;
                    try (DecodeCall call = model.openCall()) {
                        full = run(call.prefill(batch, STEPS, hooks), hooks, null);
                    }
                    try (DecodeCall call = model.openCall()) {
                        resumed = run(call.resume(prefix, layer, STEPS, hooks), hooks, full);
                    }
                    for (int s = 0; s < STEPS; s++) {
                        for (int r = 0; r < batch.batchSize(); r++) {
                            assertArrayEquals(full[s][r], resumed[s][r], name + " layer " + layer + " " + hooks + " step "
                                    + s + " row " + r);
                        }
                    }
                }
            }
            // resuming below the steered layer (an earlier kept block) is equal too, and the prefix is never modified
            HookSet last = ActivationAddition.of(n - 1, vector(model.config().hiddenSize(), 7), -2f, SteerPositions.ALL).hooks();
            float[][][] reference;
            try (DecodeCall call = model.openCall()) {
                reference = run(call.prefill(batch, STEPS, last), last, null);
            }
            for (int from = 0; from < n; from++) {
                try (DecodeCall call = model.openCall()) {
                    float[][][] got = run(call.resume(prefix, from, STEPS, last), last, reference);
                    for (int s = 0; s < STEPS; s++) {
                        for (int r = 0; r < batch.batchSize(); r++) {
                            assertArrayEquals(reference[s][r], got[s][r], name + " resumed at " + from + " step " + s);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32", "tiny-gpt2-fp32", "tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32", "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"})
    void steeredGenerationAtAllPositionsReusesTheLowerBlocksWithTheSameTokensAndLogits(String name) {
        try (Fixture fixture = Fixture.open(name); LoadedModel model = LoadedModel.load(fixture.dir());
                PromptState withResiduals = model.prefill(paddedBatch(fixture), STEPS, Set.of(0, model.config().numLayers() - 1));
                PromptState kvOnly = model.prefill(paddedBatch(fixture), STEPS, HookSet.empty())) {
            PromptBatch batch = paddedBatch(fixture);
            int n = model.config().numLayers();
            int before = model.managedArrayCount();
            SteeredGeneration.Options options = SteeredGeneration.Options.greedy(STEPS).withRecordLogits(true);
            for (int layer = 0; layer < n; layer++) {
                SteeringVector vec = SteeringVector.of(layer, vector(model.config().hiddenSize(), layer), Map.of());
                SteeringMethod.Caa caa = new SteeringMethod.Caa(vec, 4.0, SteerPositions.ALL, AlphaUnits.RAW);
                SteeredResult fresh = SteeredGeneration.generate(model, batch, caa, options);
                for (PromptState prefix : List.of(withResiduals, kvOnly)) {
                    SteeredResult reused = SteeredGeneration.generate(model, prefix, caa, options);
                    for (int r = 0; r < batch.batchSize(); r++) {
                        SteeredResult.Row a = fresh.rows().get(r);
                        SteeredResult.Row b = reused.rows().get(r);
                        assertArrayEquals(a.tokens(), b.tokens(), name + " layer " + layer + " row " + r);
                        assertEquals(a.logits().size(), b.logits().size());
                        for (int s = 0; s < a.logits().size(); s++) {
                            assertArrayEquals(a.logits().get(s), b.logits().get(s), name + " layer " + layer + " row " + r
                                    + " token " + s);
                        }
                    }
                }
            }
            assertEquals(before, model.managedArrayCount(), "nothing attaches to the model manager");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama-fp32"})
    void hooksThatWouldNeverFireAreRefused(String name) {
        try (Fixture fixture = Fixture.open(name); LoadedModel model = LoadedModel.load(fixture.dir());
                PromptState prefix = model.prefill(paddedBatch(fixture), STEPS, Set.of(0, 2));
                DecodeCall call = model.openCall()) {
            PromptBatch batch = paddedBatch(fixture);
            int n = model.config().numLayers();
            float[] v = vector(model.config().hiddenSize(), 1);
            HookSet below = ActivationAddition.of(1, v, 1f, SteerPositions.ALL).hooks();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> call.resume(prefix, 2, STEPS, below));
            assertTrue(e.getMessage().contains("blocks.1.hook_resid_post") && e.getMessage().contains("below block 2"),
                    e.getMessage());
            HookSet embed = HookSet.of(HookPoint.embed(), (x, c) -> x);
            assertThrows(IllegalArgumentException.class, () -> call.resume(prefix, 0, STEPS, embed));
            try (HookHandle h = model.hooks().add(HookPoint.residMid(0), (x, c) -> x)) {
                IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                        () -> call.resume(prefix, 2, STEPS, HookSet.empty()));
                assertTrue(wide.getMessage().contains("blocks.0.hook_resid_mid"), wide.getMessage());
                assertThrows(IllegalArgumentException.class, () -> model.prefill(batch, STEPS, Set.of(1)),
                        "kept block inputs must be unhooked");
            }
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> call.resume(prefix, 1, STEPS, HookSet.empty()));
            assertTrue(missing.getMessage().contains("[0, 2]"), missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.prefill(batch, STEPS, Set.of(n)));
            assertEquals(OptionalInt.of(2), prefix.resumeLayer(3));
            assertEquals(OptionalInt.of(0), prefix.resumeLayer(1));
            try (PromptState high = model.prefill(batch, STEPS, Set.of(2))) {
                assertFalse(high.resumeLayer(1).isPresent(), "no kept block at or below 1: prefill in full");
            }
        }
    }

    /** Three prompts of different lengths, left-padded (the longest sets the width). */
    private static PromptBatch paddedBatch(Fixture fixture) {
        int[][] p = fixture.prompts();
        int[] shortOne = java.util.Arrays.copyOf(p[0], Math.max(1, p[0].length - 3));
        return PromptBatch.leftPad(List.of(p[1], shortOne, p[2]), 0);
    }

    private static float[] vector(int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    /**
     * Steps a state {@link #STEPS} times, feeding the tokens chosen from {@code teacher}'s logits (argmax) when given,
     * else its own, and returns every step's logits {@code [step][row][vocab]}.
     */
    private static float[][][] run(DecodeState st, HookSet hooks, float[][][] teacher) {
        float[][][] out = new float[STEPS][][];
        int[] next = st.pendingTokens();
        for (int s = 0; s < STEPS; s++) {
            out[s] = st.stepToHost(next, hooks);
            float[][] pick = teacher != null ? teacher[s] : out[s];
            next = new int[pick.length];
            for (int r = 0; r < pick.length; r++) {
                next[r] = argmax(pick[r]);
            }
        }
        return out;
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
