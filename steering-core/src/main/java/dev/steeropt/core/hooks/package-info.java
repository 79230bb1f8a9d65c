/**
 * Hook points with TransformerLens names ({@link dev.steeropt.core.hooks.HookPoint}), hooks that read or replace an
 * activation ({@link dev.steeropt.core.hooks.Hook}), per-request {@link dev.steeropt.core.hooks.HookSet}s and scoped
 * model-wide hooks ({@link dev.steeropt.core.hooks.HookRegistry}), run-with-cache
 * ({@link dev.steeropt.core.hooks.ActivationCapture}), activation addition
 * ({@link dev.steeropt.core.hooks.ActivationAddition}) and the other interventions, each at any hook point, position
 * rule and set of rows ({@link dev.steeropt.core.hooks.InterventionTargets}): patching in cached activations
 * ({@link dev.steeropt.core.hooks.ActivationReplacement}), zero and mean ablation
 * ({@link dev.steeropt.core.hooks.Ablation}) and projecting a direction out
 * ({@link dev.steeropt.core.hooks.DirectionProjection}); positions they do not target keep their values exactly. Hooks fire only in {@code model.layers.DecoderBlock} and the
 * embedding / final-norm steps of {@code model.layers.Transformer}.
 */
package dev.steeropt.core.hooks;
