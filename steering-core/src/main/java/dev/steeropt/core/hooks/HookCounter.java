package dev.steeropt.core.hooks;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts how often hooks ran: {@link #counted(Hook)} wraps a hook so that each call of its
 * {@link Hook#apply} (once per forward pass that reaches its point: a prefill, a resumed prefill or a decode step) adds
 * one. A steered run reports this count so that a reader can see the steering hook really ran, also at strength 0.
 *
 * {@snippet :
 * HookCounter calls = new HookCounter();
 * HookSet hooks = HookSet.of(add.point(), calls.counted(add));
 * model.generate(GenerationRequest.builder(batch).maxNewTokens(8).hooks(hooks).build());
 * long n = calls.calls();   // one per forward that reached the point: the prefill (if any) and each step
 * }
 *
 * <p>Thread-safe.
 */
public final class HookCounter {
    private final AtomicLong calls = new AtomicLong();

    /** A hook that counts a call and then runs {@code hook}. */
    public Hook counted(Hook hook) {
        Objects.requireNonNull(hook, "hook");
        return (activation, context) -> {
            calls.incrementAndGet();
            return hook.apply(activation, context);
        };
    }

    /** Calls of every hook wrapped by this counter so far. */
    public long calls() {
        return calls.get();
    }
}
