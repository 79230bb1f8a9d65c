package dev.steeropt.core.hooks;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The model-wide, scoped hooks ({@code model.hooks().add(point, hook)}), active for every call while their handle is
 * open. Thread-safe; each call takes a snapshot when it starts. Prefer per-request {@link HookSet}s when calls run
 * concurrently.
 */
public final class HookRegistry {
    private final AtomicReference<HookSet> current = new AtomicReference<>(HookSet.empty());

    /**
     * Adds a hook until the returned handle is closed.
     *
     * {@snippet :
     * try (HookHandle h = model.hooks().add(HookPoint.residPost(1), steering)) {
     *     model.generate(request);
     * }
     * }
     */
    public HookHandle add(HookPoint point, Hook hook) {
        // Wrap so that the same hook added twice is removed once per handle.
        Hook own = hook::apply;
        current.updateAndGet(s -> s.with(point, own));
        return new HookHandle() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    current.updateAndGet(s -> s.without(own));
                }
            }
        };
    }

    /** The hooks active now. */
    public HookSet snapshot() {
        return current.get();
    }
}
