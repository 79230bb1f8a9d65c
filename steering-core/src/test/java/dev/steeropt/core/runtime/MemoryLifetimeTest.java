package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.ActivationCapture;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Native memory lifetimes (style.md §2.4): model manager constant and capped, call and step managers closed. */
class MemoryLifetimeTest {
    private static final int CALLS = 10;

    @Test
    void repeatedGenerateCallsLeaveTheModelManagerUnchangedAndCloseCallManagers() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-qwen2-fp32"))) {
            int before = m.managedArrayCount();
            assertTrue(before > 0);
            float[] v = new float[m.config().hiddenSize()];
            v[3] = 1f;
            List<NDManager> callManagers = new ArrayList<>();
            List<NDManager> stepManagers = new ArrayList<>();
            AtomicReference<Object> key = new AtomicReference<>(new Object());
            HookSet spy = HookSet.of(HookPoint.residPost(0), (x, ctx) -> {
                stepManagers.add(ctx.manager());
                ctx.constant(key.get(), mgr -> {
                    callManagers.add(mgr);
                    return mgr.zeros(new ai.djl.ndarray.types.Shape(1));
                });
                return x;
            });
            for (int i = 0; i < CALLS; i++) {
                key.set(new Object());
                HookSet hooks = spy.with(ActivationAddition.of(1, v, 2f, SteerPositions.ALL).hooks());
                GenerationRequest req = GenerationRequest.builder(PromptBatch.leftPad(List.of(new int[] {1, 2, 3}, new int[] {4, 5}), 510))
                        .maxNewTokens(5).hooks(hooks).sampling(i % 2 == 0 ? SamplingParams.greedy() : SamplingParams.sample(1f, 0.9f, 0, i))
                        .build();
                assertEquals(5, m.generate(req).tokens()[0].length);
                m.forward(req.prompts(), List.of(HookPoint.residPost(1)), Transformer.Logits.LAST, HookSet.empty());
                assertEquals(before, m.managedArrayCount(), "model manager after call " + i);
            }
            assertEquals(CALLS, callManagers.size());
            for (NDManager c : callManagers) {
                assertFalse(((BaseNDManager) c).isOpen(), "call manager left open");
            }
            assertTrue(stepManagers.size() >= CALLS * 5);
            for (NDManager s : stepManagers) {
                assertFalse(((BaseNDManager) s).isOpen(), "step manager left open");
            }
        }
    }

    @Test
    void theModelManagerIsCappedAfterLoad() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-gpt2-fp32"))) {
            // Any op whose result would attach to the weights' manager fails at once instead of leaking.
            assertThrows(IllegalStateException.class, () -> m.transformer().parameters().get(0).add(1f));
        }
    }

    @Test
    void aPromptStateOwnsItsCacheAndFreesItOnClose() {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"))) {
            int before = m.managedArrayCount();
            PromptState state = m.prefill(PromptBatch.single(7, 8, 9, 10), 4, HookSet.empty());
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.GENERATED, HookPoint.residPost(0));
            m.generate(GenerationRequest.builder(state).maxNewTokens(4).hooks(cap.hooks()).build());
            int arraysWhileOpen = m.liveArrayCount();
            assertTrue(arraysWhileOpen > before, "the state's cache is counted while it is open");
            assertEquals(1, m.openManagerCount());
            m.generate(GenerationRequest.builder(state).maxNewTokens(4).build());
            assertEquals(arraysWhileOpen, m.liveArrayCount(), "reuse adds nothing to the state");
            state.close();
            assertFalse(state.isOpen());
            assertEquals(0, m.openManagerCount());
            assertEquals(before, m.liveArrayCount());
            assertEquals(before, m.managedArrayCount());
            assertEquals(3, cap.get(HookPoint.residPost(0)).size(), "captured the 3 generated tokens that were forwarded");
        }
    }
}
