package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;

/**
 * A function at a {@link HookPoint}: receives the activation {@code [batch, pos, d_model]} and returns the array that
 * replaces it (the same array to only observe).
 *
 * <p>The activation is valid only during the call. To keep values, copy them to Java ({@code toFloatArray()}) or
 * create arrays in {@link HookContext#manager()} (the step scope). Runs during prefill and every decode step.
 */
@FunctionalInterface
public interface Hook {
    /**
     * @param activation the activation, {@code [batch, pos, d_model]}
     * @param context    hook point and position metadata of this forward step
     * @return the activation to continue with, of the same shape and dtype
     */
    NDArray apply(NDArray activation, HookContext context);
}
