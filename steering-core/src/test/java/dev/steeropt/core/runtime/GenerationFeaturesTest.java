package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.ActivationCapture;
import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.GenerationResult.FinishReason;
import dev.steeropt.core.runtime.sampling.TokenSampler;
import dev.steeropt.core.testing.Fixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generation features on tiny-llama-fp32 and its reference prompts: prefix reuse, the step API with forked caches,
 * seeded sampling, stopping, steering position modes, scoped hooks and captures. Token comparisons are exact.
 */
class GenerationFeaturesTest {
    private static LoadedModel model;
    private static Fixture fixture;

    @BeforeAll
    static void load() {
        fixture = Fixture.open("tiny-llama-fp32");
        model = LoadedModel.load(fixture.dir());
    }

    @AfterAll
    static void close() {
        model.close();
        fixture.close();
    }

    private static ActivationAddition steer(float alpha, SteerPositions mode) {
        return ActivationAddition.of(fixture.steerLayer(), fixture.steerVector(), alpha, mode);
    }

    @Test
    void prefixReuseGivesTheSameTokensAsAFreshPrefillAcrossTrials() {
        PromptBatch batch = fixture.batch();
        try (PromptState state = model.prefill(batch, 12, HookSet.empty())) {
            for (SteerPositions mode : List.of(SteerPositions.GENERATED, SteerPositions.FROM_LAST_PROMPT_TOKEN)) {
                for (float alpha : new float[] {0f, 8f, -4f, 2.5f}) {
                    HookSet hooks = steer(alpha, mode).hooks();
                    int[][] fresh = model.generate(GenerationRequest.builder(batch).maxNewTokens(12).hooks(hooks).build()).tokens();
                    int[][] reused = model.generate(GenerationRequest.builder(state).maxNewTokens(12).hooks(hooks).build()).tokens();
                    assertArrayEquals(fresh, reused, mode + " alpha " + alpha);
                }
            }
            int[][] expected = fixture.tokens("/steering/generated_only/tokens");
            int[][] reused = model.generate(GenerationRequest.builder(state).maxNewTokens(12)
                    .hooks(steer(fixture.steerAlpha(), SteerPositions.GENERATED).hooks()).build()).tokens();
            assertArrayEquals(expected, reused, "reference steer_gen tokens from a reused prefix");
            int[][] longer = model.generate(GenerationRequest.builder(state).maxNewTokens(20).build()).tokens();
            assertArrayEquals(fixture.tokens("/greedy/tokens")[2], Arrays.copyOf(longer[2], 12), "a longer request than planned still works");
        }
    }

    @Test
    void fromLastPromptTokenSteersExactlyThePositionsFromPromptLengthMinusOne() {
        PromptBatch batch = PromptBatch.single(fixture.prompts()[1]);
        int len = batch.promptLength(0);
        HookPoint at = HookPoint.residPost(fixture.steerLayer());
        ActivationCapture plain = ActivationCapture.of(ActivationCapture.Select.ALL, at);
        ActivationCapture steered = ActivationCapture.of(ActivationCapture.Select.ALL, at);
        ActivationAddition add = steer(fixture.steerAlpha(), SteerPositions.FROM_LAST_PROMPT_TOKEN);
        model.generate(GenerationRequest.builder(batch).maxNewTokens(1).hooks(plain.hooks()).build());
        model.generate(GenerationRequest.builder(batch).maxNewTokens(1).hooks(add.hooks().with(steered.hooks())).build());
        float[] v = fixture.steerVector();
        for (int pos = 0; pos < len; pos++) {
            float[] a = plain.get(at, 0, pos);
            float[] b = steered.get(at, 0, pos);
            if (pos < len - 1) {
                assertArrayEquals(a, b, "prompt position " + pos + " is untouched");
            } else {
                for (int i = 0; i < v.length; i++) {
                    assertEquals(a[i] + fixture.steerAlpha() * v[i], b[i], 1e-5, "last prompt position, feature " + i);
                }
            }
        }
    }

    @Test
    void forkedDecodeStatesAreIndependentAndReproduceGenerate() {
        PromptBatch batch = fixture.batch();
        HookSet steered = steer(fixture.steerAlpha(), SteerPositions.ALL).hooks();
        try (DecodeCall call = model.openCall()) {
            DecodeState shared = call.prefill(batch, 12, HookSet.empty());
            DecodeState u = call.fork(shared);
            DecodeState p = call.fork(shared);
            int[] nu = shared.pendingTokens();
            int[] np = shared.pendingTokens();
            int[][] tu = new int[3][12];
            int[][] tp = new int[3][12];
            for (int k = 0; k < 12; k++) {
                float[][] lu = u.stepToHost(nu, HookSet.empty());
                float[][] lp = p.stepToHost(np, k == 0 ? HookSet.empty() : steered);
                for (int r = 0; r < 3; r++) {
                    nu[r] = TokenSampler.argmax(lu[r], 0, lu[r].length);
                    np[r] = TokenSampler.argmax(lp[r], 0, lp[r].length);
                    tu[r][k] = nu[r];
                    tp[r][k] = np[r];
                }
            }
            assertArrayEquals(fixture.tokens("/greedy/tokens"), tu, "unsteered fork");
            assertArrayEquals(fixture.tokens("/steering/generated_only/tokens"), tp, "steered-from-step-2 fork = generated-only steering");
            assertEquals(0, shared.steps(), "forks leave the source untouched");
            assertEquals(12, u.steps());
        }
    }

    @Test
    void sameSeedGivesTheSameTextWhateverTheBatchComposition() {
        int[][] prompts = fixture.prompts();
        SamplingParams sp = SamplingParams.sample(1.0f, 0.95f, 0, 1234L);
        int[] alone = model.generate(GenerationRequest.builder(PromptBatch.single(prompts[1])).maxNewTokens(12).sampling(sp).build())
                .tokens()[0];
        int[][] mixed = model.generate(GenerationRequest.builder(PromptBatch.leftPad(List.of(prompts[2], prompts[0], prompts[1]), 510))
                .maxNewTokens(12).sampling(sp).build()).tokens();
        assertArrayEquals(alone, mixed[2], "same seed, row at another batch position and padding");
        int[] otherSeed = model.generate(GenerationRequest.builder(PromptBatch.single(prompts[1])).maxNewTokens(12)
                .sampling(SamplingParams.sample(1.0f, 0.95f, 0, 99L)).build()).tokens()[0];
        assertFalse(Arrays.equals(alone, otherSeed), "another seed gives another continuation at temperature 1");
        int[] topK1 = model.generate(GenerationRequest.builder(PromptBatch.single(prompts[1])).maxNewTokens(12)
                .sampling(SamplingParams.sample(0.7f, 1f, 1, 5L)).build()).tokens()[0];
        assertArrayEquals(fixture.tokens("/greedy/tokens")[1], topK1, "top_k = 1 is greedy");
    }

    @Test
    void perRowSeedsFollowTheirRows() {
        int[][] prompts = fixture.prompts();
        SamplingParams rowSeeds = new SamplingParams(1.0f, 1f, 0, 0L, new long[] {11L, 22L});
        int[][] pair = model.generate(GenerationRequest.builder(PromptBatch.leftPad(List.of(prompts[0], prompts[0]), 510))
                .maxNewTokens(12).sampling(rowSeeds).build()).tokens();
        int[] seed22 = model.generate(GenerationRequest.builder(PromptBatch.single(prompts[0])).maxNewTokens(12)
                .sampling(SamplingParams.sample(1.0f, 1f, 0, 22L)).build()).tokens()[0];
        assertArrayEquals(seed22, pair[1]);
        assertNotEquals(Arrays.toString(pair[0]), Arrays.toString(pair[1]));
    }

    @Test
    void rowsStopOnStopTokensAndStopStringsIndependently() {
        int[][] greedy = fixture.tokens("/greedy/tokens");
        PromptBatch batch = fixture.batch();
        int stopAt = greedy[0][3];
        GenerationResult r = model.generate(GenerationRequest.builder(batch).maxNewTokens(12).stopTokenIds(Set.of(stopAt)).build());
        int firstIdx = -1;
        for (int k = 0; k < 12; k++) {
            if (greedy[0][k] == stopAt) {
                firstIdx = k;
                break;
            }
        }
        assertArrayEquals(Arrays.copyOf(greedy[0], firstIdx + 1), r.tokens()[0]);
        assertEquals(FinishReason.STOP_TOKEN, r.sequences().get(0).reason());
        for (int row = 1; row < 3; row++) {
            int[] expected = greedy[row];
            int cut = 12;
            for (int k = 0; k < 12; k++) {
                if (expected[k] == stopAt) {
                    cut = k + 1;
                    break;
                }
            }
            assertArrayEquals(Arrays.copyOf(expected, cut), r.tokens()[row], "row " + row + " stops only on its own tokens");
        }
        // Stop strings: decode ids as "<id>" text; stop once row 1 has produced its 5th greedy token.
        String stop = "<" + greedy[1][4] + ">";
        GenerationResult s = model.generate(GenerationRequest.builder(batch).maxNewTokens(12).stopStrings(List.of(stop))
                .decoder(ids -> {
                    StringBuilder sb = new StringBuilder();
                    for (int id : ids) {
                        sb.append('<').append(id).append('>');
                    }
                    return sb.toString();
                }).build());
        int[] row1 = s.tokens()[1];
        assertEquals(FinishReason.STOP_STRING, s.sequences().get(1).reason());
        assertEquals(greedy[1][4], row1[row1.length - 1]);
        assertTrue(row1.length <= 5);
    }

    @Test
    void padRowsNeverProduceNaN() {
        // The first pad row of each padded prompt has no allowed key at all; every activation must stay finite.
        List<String> bad = new ArrayList<>();
        HookSet check = HookSet.empty();
        for (HookPoint p : model.hookPoints()) {
            check = check.with(p, (x, ctx) -> {
                if (x.isNaN().any().getBoolean() || x.isInfinite().any().getBoolean()) {
                    bad.add(p + (ctx.isPrefill() ? " prefill" : " decode"));
                }
                return x;
            });
        }
        model.generate(GenerationRequest.builder(fixture.batch()).maxNewTokens(3).hooks(check).build());
        model.forward(fixture.batch(), List.of(), dev.steeropt.core.model.layers.Transformer.Logits.ALL, check);
        assertEquals(List.of(), bad);
    }

    @Test
    void scopedModelHooksApplyOnlyWhileTheirHandleIsOpen() {
        PromptBatch batch = fixture.batch();
        ActivationAddition add = steer(fixture.steerAlpha(), SteerPositions.ALL);
        try (HookHandle h = model.hooks().add(add.point(), add)) {
            assertArrayEquals(fixture.tokens("/steering/all_positions/tokens"),
                    model.generate(GenerationRequest.builder(batch).maxNewTokens(12).build()).tokens());
        }
        assertArrayEquals(fixture.tokens("/greedy/tokens"), model.generate(GenerationRequest.builder(batch).maxNewTokens(12).build()).tokens());
        assertTrue(model.hooks().snapshot().isEmpty());
    }

    @Test
    void captureCopiesPromptAndGeneratedActivationsWithPositionMetadata() {
        PromptBatch batch = fixture.batch();
        HookPoint p = HookPoint.residPost(2);
        ActivationCapture last = ActivationCapture.of(ActivationCapture.Select.LAST_PROMPT_TOKEN, p);
        ActivationCapture gen = ActivationCapture.of(ActivationCapture.Select.GENERATED, p);
        model.generate(GenerationRequest.builder(batch).maxNewTokens(4).hooks(last.hooks().with(gen.hooks())).build());
        assertEquals(3, last.get(p).size());
        float[] ref = fixture.floats("hidden.layers");
        int t = batch.width();
        int h = fixture.hidden();
        for (ActivationCapture.Captured c : last.get(p)) {
            assertEquals(batch.promptLength(c.row()) - 1, c.positionId());
            int off = ((2 * 3 + c.row()) * t + (t - 1)) * h;
            dev.steeropt.core.testing.Assert.close(Arrays.copyOfRange(ref, off, off + h), c.values(), 1e-4, "row " + c.row());
        }
        List<Integer> genPositions = new ArrayList<>();
        for (ActivationCapture.Captured c : gen.get(p)) {
            assertTrue(c.generated());
            if (c.row() == 0) {
                genPositions.add(c.positionId());
            }
        }
        assertEquals(List.of(5, 6, 7), genPositions, "generated tokens 1..3 are forwarded (the 4th is only sampled)");
        assertThrows(IllegalStateException.class,
                () -> ActivationCapture.of(ActivationCapture.Select.GENERATED, p).get(p), "an empty capture is an error");
    }
}
