package dev.steeropt.core.steering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.PromptState;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The steered-generation entry point on the tiny llama fixture: exact zero, agreement with the runtime, reuse. */
class SteeredGenerationTest {
    private static LoadedModel model;
    private static SteeringVector vector;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"));
        SplittableRandom r = new SplittableRandom(5);
        float[] v = new float[64];
        for (int i = 0; i < 64; i++) {
            v[i] = (float) r.nextGaussian();
        }
        vector = SteeringVector.of(2, v, Map.of(SteeringVector.KEY_MEAN_RESIDUAL_NORM, "4.0"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static PromptBatch prompts() {
        return PromptBatch.leftPad(List.of(new int[] {5, 17, 301, 42, 9, 77}, new int[] {88, 3, 250}, new int[] {12, 400, 61, 7}), 0);
    }

    private static void assertSame(SteeredResult a, SteeredResult b) {
        for (int r = 0; r < a.rows().size(); r++) {
            assertArrayEquals(a.rows().get(r).tokens(), b.rows().get(r).tokens(), "row " + r);
            List<float[]> la = a.rows().get(r).logits();
            List<float[]> lb = b.rows().get(r).logits();
            assertEquals(la.size(), lb.size());
            for (int t = 0; t < la.size(); t++) {
                assertArrayEquals(la.get(t), lb.get(t), 0f, "row " + r + " step " + t);
            }
        }
    }

    @Test
    void zeroStrengthThroughTheHooksIsTheBaselineBitForBit() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(12).withRecordLogits(true);
        SteeredGeneration.Options forced = o.withForceSteeredPath(true);
        SteeredResult base = SteeredGeneration.generate(model, prompts(), null, o);
        assertEquals("baseline", base.method());
        assertEquals(0, base.hookCalls());
        assertEquals(12, base.rows().get(0).logits().size());
        for (SteerPositions pos : SteerPositions.values()) {
            SteeringMethod zero = new SteeringMethod.Caa(vector, 0.0, pos);
            SteeredResult shortcut = SteeredGeneration.generate(model, prompts(), zero, o);
            assertEquals("baseline", shortcut.method(), "the search's fast path takes no hook");
            assertEquals(0, shortcut.hookCalls());
            SteeredResult caa = SteeredGeneration.generate(model, prompts(), zero, forced);
            assertEquals("caa", caa.method());
            assertEquals(1 + 12, caa.hookCalls(), pos + ": one prefill and 12 steps through the hook");
            assertSame(base, caa);
        }
        SteeredResult dac = SteeredGeneration.generate(model, prompts(), SteeringMethod.Dac.of(vector, 0.0), forced);
        assertEquals(2 * 12, dac.hookCalls());
        assertSame(base, dac);
    }

    @Test
    void aShiftThatDoesNotScaleWithAlphaBreaksTheForcedZeroPath() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(4).withRecordLogits(true);
        SteeredResult base = SteeredGeneration.generate(model, prompts(), null, o);
        SteeredResult shifted = SteeredGeneration.generate(model, prompts(), SteeringMethod.Caa.of(vector, 0.0),
                o.withForceSteeredPath(true).withHookDecorator(h -> (x, ctx) -> h.apply(x, ctx).add(1e-6f)));
        assertFalse(java.util.Arrays.equals(base.rows().get(0).logits().get(0), shifted.rows().get(0).logits().get(0)),
                "the comparison above must be able to fail");
    }

    @Test
    void caaMatchesTheRuntimesActivationAddition() {
        for (SteerPositions pos : SteerPositions.values()) {
            SteeredResult mine = SteeredGeneration.generate(model, prompts(), new SteeringMethod.Caa(vector, 1.5, pos),
                    SteeredGeneration.Options.greedy(10));
            float[] d = AlphaUnits.MEAN_RESIDUAL_NORM.direction(vector);
            GenerationResult ref = model.generate(GenerationRequest.builder(prompts()).maxNewTokens(10)
                    .hooks(ActivationAddition.of(2, d, 1.5f, pos).hooks()).build());
            assertArrayEquals(ref.tokens(), mine.tokens(), pos.toString());
            assertEquals("caa", mine.method());
        }
    }

    @Test
    void steeringChangesOutputAndUnitsMatter() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(10).withRecordLogits(true);
        SteeredResult base = SteeredGeneration.generate(model, prompts(), null, o);
        SteeredResult steered = SteeredGeneration.generate(model, prompts(), SteeringMethod.Caa.of(vector, 2.0), o);
        assertFalse(java.util.Arrays.equals(base.rows().get(0).logits().get(0), steered.rows().get(0).logits().get(0)),
                "from_last_prompt_token steering must change the first new token's logits");
        SteeredResult raw = SteeredGeneration.generate(model, prompts(),
                new SteeringMethod.Caa(vector, 2.0, SteerPositions.FROM_LAST_PROMPT_TOKEN, AlphaUnits.RAW), o);
        assertFalse(java.util.Arrays.equals(raw.rows().get(0).logits().get(0), steered.rows().get(0).logits().get(0)));
        SteeredResult generatedOnly = SteeredGeneration.generate(model, prompts(),
                new SteeringMethod.Caa(vector, 2.0, SteerPositions.GENERATED), o);
        assertArrayEquals(base.rows().get(0).logits().get(0), generatedOnly.rows().get(0).logits().get(0), 0f,
                "generated-only steering leaves the first new token's logits alone");
    }

    @Test
    void reusedPrefixGivesTheSameResult() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(8).withRecordLogits(true);
        try (PromptState prefix = model.prefill(prompts(), 8, dev.steeropt.core.hooks.HookSet.empty())) {
            for (SteeringMethod m : List.of(SteeringMethod.Caa.of(vector, 1.0),
                    new SteeringMethod.Caa(vector, 1.0, SteerPositions.ALL), SteeringMethod.Dac.of(vector, 2.0))) {
                assertSame(SteeredGeneration.generate(model, prompts(), m, o), SteeredGeneration.generate(model, prefix, m, o));
            }
            SteeredGeneration.Options forced = o.withForceSteeredPath(true);
            SteeredResult base = SteeredGeneration.generate(model, prompts(), null, o);
            for (SteerPositions pos : SteerPositions.values()) {
                SteeredResult zero = SteeredGeneration.generate(model, prefix, new SteeringMethod.Caa(vector, 0.0, pos), forced);
                assertTrue(zero.hookCalls() >= 8, pos + ": " + zero.hookCalls());
                assertSame(base, zero);
            }
            assertSame(SteeredGeneration.generate(model, prompts(), null, o), SteeredGeneration.generate(model, prefix, null, o));
        }
    }

    @Test
    void seededSamplingIsReproducibleAndStopsPerRow() {
        SteeredGeneration.Options o = SteeredGeneration.Options.greedy(15).withSampling(SamplingParams.sample(1.0f, 1f, 0, 9));
        SteeredResult a = SteeredGeneration.generate(model, prompts(), SteeringMethod.Caa.of(vector, 0.5), o);
        SteeredResult b = SteeredGeneration.generate(model, prompts(), SteeringMethod.Caa.of(vector, 0.5), o);
        assertArrayEquals(a.tokens(), b.tokens());
        int stop = a.rows().get(1).tokens()[3];
        SteeredResult stopped = SteeredGeneration.generate(model, prompts(), SteeringMethod.Caa.of(vector, 0.5),
                o.withStops(java.util.Set.of(stop), List.of(), null));
        int[] row1 = stopped.rows().get(1).tokens();
        assertTrue(row1.length <= 4 && row1[row1.length - 1] == stop, java.util.Arrays.toString(row1));
        assertEquals(GenerationResult.FinishReason.STOP_TOKEN, stopped.rows().get(1).reason());
    }

    @Test
    void noNativeArrayOutlivesACall() {
        int before = model.managedArrayCount();
        for (int i = 0; i < 3; i++) {
            SteeredGeneration.generate(model, prompts(), SteeringMethod.Dac.of(vector, 2.0), SteeredGeneration.Options.greedy(4));
            SteeredGeneration.generate(model, prompts(), new SteeringMethod.Caa(vector, 1.0, SteerPositions.ALL),
                    SteeredGeneration.Options.greedy(4).withRecordLogits(true));
        }
        assertEquals(before, model.managedArrayCount(), "arrays attached to the model manager");
    }

    @Test
    void wrongVectorIsRejected() {
        SteeringVector small = SteeringVector.of(1, new float[8], Map.of());
        assertThrows(IllegalArgumentException.class, () -> SteeredGeneration.generate(model, prompts(),
                new SteeringMethod.Caa(small, 1.0, SteerPositions.ALL, AlphaUnits.RAW), SteeredGeneration.Options.greedy(2)));
        SteeringVector deep = SteeringVector.of(9, new float[64], Map.of());
        assertThrows(IllegalArgumentException.class, () -> SteeredGeneration.generate(model, prompts(),
                new SteeringMethod.Caa(deep, 1.0, SteerPositions.ALL, AlphaUnits.RAW), SteeredGeneration.Options.greedy(2)));
    }
}
