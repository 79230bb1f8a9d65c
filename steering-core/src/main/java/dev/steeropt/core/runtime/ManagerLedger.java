package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every root NDManager a {@link LoadedModel} opens (those of {@link DecodeCall}s, {@link PromptState}s and its own
 * generate and forward calls), so that the arrays alive across all of them can be counted: DJL's base managers are
 * separate roots, and the PyTorch engine exposes no allocator statistics on the CPU. Closed managers are dropped on the
 * next visit; a manager nobody closes stays, and with it every array it (or one of its sub-managers) holds.
 * Thread-safe.
 */
final class ManagerLedger {
    private final Set<NDManager> open = ConcurrentHashMap.newKeySet();

    /** Records {@code manager} and returns it. */
    NDManager track(NDManager manager) {
        open.removeIf(m -> !m.isOpen());
        open.add(manager);
        return manager;
    }

    /** Open managers handed out and not closed yet. */
    int openManagers() {
        open.removeIf(m -> !m.isOpen());
        return open.size();
    }

    /** Arrays attached to the open managers, their sub-managers included. */
    int liveArrays() {
        int n = 0;
        for (NDManager m : open) {
            if (m.isOpen()) {
                n += m.getManagedArrays().size();
            }
        }
        return n;
    }

    /** Closes every manager still open. */
    void closeAll() {
        for (NDManager m : open) {
            m.close();
        }
        open.clear();
    }
}
