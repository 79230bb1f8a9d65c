package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.testing.Fixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link DecodeCall} owns the native memory of the step API: its states and open steps count as live until it
 * closes, closing frees all of them, a step belongs to one call, and stepping through the call's scopes gives the
 * tokens of {@link LoadedModel#generate}.
 */
class DecodeCallTest {
    private static final int STEPS = 5;

    @Test
    void aCallOwnsItsStatesAndStepsUntilItCloses() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"))) {
            int weights = m.managedArrayCount();
            PromptBatch batch = PromptBatch.leftPad(List.of(new int[] {5, 9, 3}, new int[] {4, 4}), 0);
            DecodeCall call = m.openCall();
            DecodeState st = call.prefill(batch, STEPS, HookSet.empty());
            DecodeState copy = call.fork(st);
            assertEquals(1, m.openManagerCount(), "states are part of their call");
            assertTrue(m.liveArrayCount() > weights, "the call's caches are counted");
            int[] next = st.pendingTokens();
            try (DecodeCall.Step first = call.newStep()) {
                st.step(first, next, HookSet.empty());
            }
            int between = m.liveArrayCount();
            DecodeCall.Step step = call.newStep();
            st.step(step, next, HookSet.empty());
            assertTrue(m.liveArrayCount() > between, "an open step's logits and temporaries are counted");
            step.close();
            assertEquals(between, m.liveArrayCount(), "closing the step frees what it held");
            call.close();
            assertFalse(call.isOpen());
            assertEquals(weights, m.liveArrayCount(), "closing the call frees every state it made");
            assertEquals(0, m.openManagerCount());
            assertThrows(IllegalStateException.class, () -> call.prefill(batch, STEPS, HookSet.empty()));
            assertThrows(IllegalStateException.class, () -> call.fork(copy));
            assertThrows(IllegalStateException.class, call::newStep);
            call.close(); // idempotent
        }
    }

    @Test
    void aStepOfAnotherCallIsRefused() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"));
                DecodeCall a = m.openCall(); DecodeCall b = m.openCall(); DecodeCall.Step foreign = b.newStep()) {
            DecodeState st = a.prefill(PromptBatch.single(3, 4), STEPS, HookSet.empty());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> st.step(foreign, st.pendingTokens(), HookSet.empty()));
            assertTrue(e.getMessage().contains("another decode call"), e.getMessage());
            assertEquals(0, st.steps(), "a refused step changes nothing");
        }
    }

    @Test
    void steppingACallReproducesGenerateAndForksHoldMoreSteps() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-gpt2-fp32"))) {
            PromptBatch batch = PromptBatch.leftPad(List.of(new int[] {7, 8, 9, 10}, new int[] {11, 12}), 0);
            int[][] expected = m.generate(GenerationRequest.builder(batch).maxNewTokens(STEPS).build()).tokens();
            int[][] got = new int[batch.batchSize()][STEPS];
            try (DecodeCall call = m.openCall()) {
                DecodeState prefilled = call.prefill(batch, 1, HookSet.empty());
                DecodeState st = call.fork(prefilled, STEPS); // the prefill held one step; the fork holds STEPS
                assertEquals(prefilled.length() + STEPS, st.capacity());
                int[] next = st.pendingTokens();
                for (int k = 0; k < STEPS; k++) {
                    try (DecodeCall.Step step = call.newStep()) {
                        NDArray logits = st.step(step, next, HookSet.empty()); // [batch, d_vocab]
                        long[] ids = logits.argMax(1).toLongArray();
                        for (int r = 0; r < ids.length; r++) {
                            next[r] = (int) ids[r];
                            got[r][k] = next[r];
                        }
                    }
                }
            }
            assertArrayEquals(expected, got);
        }
    }
}
