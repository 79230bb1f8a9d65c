package dev.steeropt.core.hooks;

/** Removes a hook added to a {@link HookRegistry} when closed; closing twice is harmless. */
public interface HookHandle extends AutoCloseable {
    /** Removes the hook. */
    @Override
    void close();
}
