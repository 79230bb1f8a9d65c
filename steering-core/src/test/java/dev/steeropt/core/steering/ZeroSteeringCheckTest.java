package dev.steeropt.core.steering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.ZeroSteeringReport.Expect;
import dev.steeropt.core.steering.ZeroSteeringReport.Reference;
import dev.steeropt.core.steering.ZeroSteeringReport.Row;
import dev.steeropt.core.testing.Fixture;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zero-steering check runs the steered machinery (hook calls on every row), passes on the fixtures, and fails for
 * each injected fault: a constant shift, a skipped hook, the α = 0 shortcut, and steering landing on the wrong row.
 */
class ZeroSteeringCheckTest {
    private static final int NEW = 5;
    /** 2 decodings × 2 batch shapes × 2 prefix modes × 5 methods. */
    private static final int ZERO_ROWS = 48;
    private static LoadedModel llama;
    private static SteeringVector vector;

    @BeforeAll
    static void load() {
        llama = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"));
        float[] v = new float[64];
        v[3] = 1f;
        v[10] = -0.5f;
        vector = SteeringVector.of(1, v, Map.of());
    }

    @AfterAll
    static void close() {
        llama.close();
    }

    private static ZeroSteeringReport check(LoadedModel model, ZeroCheckFault fault) {
        SteeringVector v = vector;
        if (model.config().hiddenSize() != 64) { // the 48-wide fixtures: the same two non-zero entries
            float[] narrow = new float[model.config().hiddenSize()];
            narrow[3] = 1f;
            narrow[10] = -0.5f;
            v = SteeringVector.of(1, narrow, Map.of());
        }
        return ZeroSteeringCheck.run(model, SteeredGenerationTest.prompts(), v, new ZeroSteeringCheck.Settings(NEW, 3, fault));
    }

    private static List<Row> zeroRows(ZeroSteeringReport r) {
        return r.rows().stream().filter(x -> x.alpha() == 0).toList();
    }

    @Test
    void passesOnTheFixturesWithHookCallsOnEveryRow() {
        for (String name : new String[] {"tiny-llama-fp32", "tiny-qwen2-fp32", "tiny-gpt2-fp32", "tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32", "tiny-olmo2-fp32", "tiny-mistral-sw-fp32", "tiny-gptneox-fp32"}) {
            try (LoadedModel model = LoadedModel.load(Fixture.modelDir(name))) {
                ZeroSteeringReport ok = check(model, ZeroCheckFault.NONE);
                assertTrue(ok.passed(), name + "\n" + ok.table());
                assertEquals(ZERO_ROWS + 2 + 5, ok.rows().size(), ok.table());
                assertEquals(ZERO_ROWS, zeroRows(ok).size());
                for (Row r : ok.rows()) {
                    assertTrue(r.hookCalls() > 0, "row without hook calls\n" + ok.table());
                }
                Set<String> covered = zeroRows(ok).stream().map(r -> ZeroSteeringReport.methodName(r.method()) + "/" + r.positions()
                        + "/" + r.batchSize() + "/" + r.prefixReuse() + "/" + r.decoding()).collect(Collectors.toSet());
                assertEquals(ZERO_ROWS, covered.size(), "every zero row is a distinct configuration");
                assertEquals(Set.of(1, 3), zeroRows(ok).stream().map(Row::batchSize).collect(Collectors.toSet()));
                assertEquals(EnumSet.allOf(SteerPositions.class), zeroRows(ok).stream().map(Row::positions)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(SteerPositions.class))));
                for (Row r : zeroRows(ok)) {
                    if (r.method() instanceof SteeringMethod.Dac d && !d.seedCompat()) {
                        assertEquals(r.batchSize(), r.dacTrace().size());
                        for (List<SteeredResult.DacStep> t : r.dacTrace()) {
                            assertEquals(NEW, t.size(), "one (D_t, alpha_t) per generated token");
                            for (SteeredResult.DacStep s : t) {
                                assertEquals(0.0, s.alpha());
                                assertEquals(0.0, s.divergence(), "alpha_max 0: the probe equals U, so D_t is 0");
                                assertTrue(s.nucleusSize() > 0);
                            }
                        }
                        // U, P and S each step once per token: P's and S's hooks are called per step
                        assertEquals(2L * NEW, r.hookCalls(), ok.table());
                    }
                }
                List<Row> controls = ok.rows().stream().filter(x -> x.expect() == Expect.DIFFERENT).toList();
                assertEquals(2, controls.size());
                assertTrue(controls.get(0).maxAbsLogitDiff() > 1e-3, "CAA control\n" + ok.table());
                assertTrue(controls.get(1).maxAbsLogitDiff() > 0, "DAC control\n" + ok.table());
                assertTrue(controls.get(1).dacTrace().get(0).stream().allMatch(st -> st.alpha() > 0), ok.table());
                for (Row c : ok.rows().stream().filter(x -> x.reference() == Reference.SINGLE_ROWS).toList()) {
                    assertTrue(c.tokensIdentical() && c.maxAbsLogitDiff() <= ZeroSteeringCheck.BATCH_TOLERANCE, ok.table());
                }
                System.out.println(name + "\n" + ok.table());
            }
        }
    }

    @Test
    void aShiftThatDoesNotScaleWithAlphaFailsEveryZeroRow() {
        ZeroSteeringReport r = check(llama, ZeroCheckFault.CONSTANT_SHIFT);
        assertFalse(r.passed());
        for (Row z : zeroRows(r)) {
            assertFalse(z.passed(), "zero row must mismatch under a 1e-6 shift\n" + r.table());
            assertTrue(z.hookCalls() > 0 && z.maxAbsLogitDiff() > 0, r.table());
        }
        assertTrue(r.table().contains("MISMATCH"));
    }

    @Test
    void aSkippedHookFailsOnItsCallCountAlone() {
        ZeroSteeringReport r = check(llama, ZeroCheckFault.SKIPPED_HOOK);
        assertEquals(r.rows().size(), r.failures(), r.table());
        for (Row z : zeroRows(r)) {
            assertEquals(0, z.hookCalls());
            assertTrue(z.tokensIdentical() && z.logitsIdentical(), "the values alone would not show it");
            assertEquals("FAIL: no hook call", z.verdict());
        }
    }

    @Test
    void theAlphaZeroShortcutFailsEveryZeroRow() {
        ZeroSteeringReport r = check(llama, ZeroCheckFault.ZERO_SHORTCUT);
        for (Row z : zeroRows(r)) {
            assertFalse(z.passed(), r.table());
            assertEquals(0, z.hookCalls());
        }
        assertEquals(ZERO_ROWS, r.failures(), "the non-zero controls still steer\n" + r.table());
    }

    @Test
    void steeringTheWrongRowFailsTheBatchAgainstSingleRows() {
        ZeroSteeringReport r = check(llama, ZeroCheckFault.WRONG_ROW);
        assertFalse(r.passed(), r.table());
        assertTrue(zeroRows(r).stream().allMatch(Row::passed), "invisible at alpha 0\n" + r.table());
        Row dac = r.rows().stream().filter(x -> x.reference() == Reference.SINGLE_ROWS && x.method() instanceof SteeringMethod.Dac)
                .findFirst().orElseThrow();
        System.out.println("wrong row\n" + r.table());
        assertFalse(dac.passed(), r.table());
        assertTrue(dac.maxAbsLogitDiff() > ZeroSteeringCheck.BATCH_TOLERANCE, r.table());
    }

    @Test
    void singlePromptSkipsTheBatchRowsAndFaultNamesParse() {
        ZeroSteeringReport r = ZeroSteeringCheck.run(llama, PromptBatch.single(5, 17, 301), vector, ZeroSteeringCheck.Settings.of(3));
        assertTrue(r.passed(), r.table());
        assertEquals(2 * 2 * 6 + 2, r.rows().size(), r.table());
        assertEquals(ZeroCheckFault.WRONG_ROW, ZeroCheckFault.parse("wrong-row"));
        assertEquals(ZeroCheckFault.CONSTANT_SHIFT, ZeroCheckFault.parse("CONSTANT_SHIFT"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZeroCheckFault.parse("oops"));
        assertTrue(e.getMessage().contains("skipped-hook"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZeroSteeringCheck.Settings.of(0));
    }
}
