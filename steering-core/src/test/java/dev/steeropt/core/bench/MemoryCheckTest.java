package dev.steeropt.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.runtime.DecodeCall;
import dev.steeropt.core.runtime.DecodeState;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.testing.Fixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench-runtime --memory-check} passes on the runtime as it is and fails on each kind of leak it claims to see. */
class MemoryCheckTest {
    private static final int CALLS = 20;

    private static RuntimeBenchmark bench(LoadedModel m) {
        return new RuntimeBenchmark(m, new PrintWriter(new StringWriter()));
    }

    @Test
    void theRuntimeAsItIsPasses() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-qwen2-fp32"))) {
            MemoryCheck.Verdict v = bench(m).memoryCheck(CALLS, MemoryCheck.DEFAULT_RSS_GROWTH_LIMIT_MB);
            assertTrue(v.passed(), v.toString());
            assertEquals(m.managedArrayCount(), v.last().liveArrays(), "between calls only the weights are alive");
            assertEquals(0, v.last().openManagers());
            assertEquals(2, v.windowStart().calls(), "the RSS window starts at a tenth of the calls");
            assertEquals(CALLS, v.last().calls());
            assertEquals(11, v.samples().size(), "after the first call (0), then every 2 calls up to 20");
        }
    }

    @Test
    void aDecodeCallLeftOpenPerCallFails() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-qwen2-fp32"))) {
            PromptBatch one = PromptBatch.single(1);
            int perCall;
            try (DecodeCall probe = m.openCall()) {
                probe.prefill(one, 1, HookSet.empty());
                perCall = m.liveArrayCount() - m.managedArrayCount();
            }
            assertTrue(perCall > 0, "a prefilled call holds its KV cache");
            // the bug: a decode call opened and never closed, holding the KV cache of a one-token prompt
            MemoryCheck.Verdict v = bench(m).memoryCheck(CALLS, MemoryCheck.DEFAULT_RSS_GROWTH_LIMIT_MB,
                    () -> m.openCall().prefill(one, 1, HookSet.empty()));
            assertFalse(v.passed(), v.toString());
            assertFalse(v.arraysStable());
            assertEquals(CALLS * perCall, v.arrayGrowth(), "one call's cache per call");
            assertEquals(CALLS, v.last().openManagers());
        }
    }

    @Test
    void aStepLeftOpenInAnOpenDecodeCallFails() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-qwen2-fp32")); DecodeCall held = m.openCall()) {
            DecodeState st = held.prefill(PromptBatch.single(1), CALLS + 2, HookSet.empty());
            // the bug: per call, a step of a long-lived decode call is never closed (its logits and temporaries stay)
            MemoryCheck.Verdict v = bench(m).memoryCheck(CALLS, MemoryCheck.DEFAULT_RSS_GROWTH_LIMIT_MB,
                    () -> st.step(held.newStep(), new int[] {1}, HookSet.empty()));
            assertFalse(v.arraysStable(), v.toString());
            assertTrue(v.arrayGrowth() >= CALLS, "a step's arrays are counted through its call: " + v.arrayGrowth());
            assertEquals(1, v.last().openManagers(), "steps are part of their call, not separate managers");
        }
    }

    @Test
    void nativeMemoryHeldOutsideTheModelsManagersFailsOnRss() {
        List<NDManager> leaked = new ArrayList<>();
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-qwen2-fp32"))) {
            // the bug: 4 MB per call in a root manager the model never saw (e.g. NDManager.newBaseManager() in a hook)
            MemoryCheck.Verdict v = bench(m).memoryCheck(CALLS, MemoryCheck.DEFAULT_RSS_GROWTH_LIMIT_MB, () -> {
                NDManager root = NDManager.newBaseManager();
                leaked.add(root);
                root.create(new float[1 << 20]);
            });
            assertTrue(v.arraysStable(), "the model's managers stay clean");
            assertFalse(v.rssWithinLimit(), v.toString());
            assertTrue(v.rssGrowthMb() > 60, "18 calls x 4 MB in the window: " + v.rssGrowthMb());
            assertFalse(v.passed());
        } finally {
            leaked.forEach(NDManager::close);
        }
    }

    @Test
    void judgeUsesTheLastNineTenthsAndEverySampleForArrays() {
        List<MemoryCheck.Sample> s = List.of(new MemoryCheck.Sample(0, 100, 10, 0), new MemoryCheck.Sample(100, 400, 10, 0),
                new MemoryCheck.Sample(500, 420, 11, 1), new MemoryCheck.Sample(1000, 430, 10, 0));
        MemoryCheck.Verdict v = MemoryCheck.judge(s, 1000, 32);
        assertEquals(30, v.rssGrowthMb(), 1e-9, "the first tenth (100 -> 400 MB) is not judged");
        assertTrue(v.rssWithinLimit());
        assertEquals(1, v.arrayGrowth(), "a sample in the middle with an extra array fails, even if the end is clean");
        assertFalse(v.passed());
        assertFalse(MemoryCheck.judge(s, 1000, 29.9).rssWithinLimit());
        assertFalse(MemoryCheck.judge(List.of(new MemoryCheck.Sample(0, Double.NaN, 1, 0),
                new MemoryCheck.Sample(10, Double.NaN, 1, 0)), 10, 32).passed(), "unmeasured RSS cannot pass");
        assertThrows(IllegalArgumentException.class, () -> MemoryCheck.judge(s.subList(0, 1), 1000, 32));
    }
}
