/**
 * Hook points with TransformerLens names ({@link dev.steeropt.core.hooks.HookPoint}), hooks that read or replace an
 * activation ({@link dev.steeropt.core.hooks.Hook}), per-request {@link dev.steeropt.core.hooks.HookSet}s and scoped
 * model-wide hooks ({@link dev.steeropt.core.hooks.HookRegistry}), run-with-cache
 * ({@link dev.steeropt.core.hooks.ActivationCapture}) and activation addition
 * ({@link dev.steeropt.core.hooks.ActivationAddition}). Hooks fire only in {@code model.layers.DecoderBlock} and the
 * embedding / final-norm steps of {@code model.layers.Transformer}.
 */
package dev.steeropt.core.hooks;
