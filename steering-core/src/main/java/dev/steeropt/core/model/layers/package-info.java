/**
 * The shared transformer layers every architecture is assembled from: {@link dev.steeropt.core.model.layers.Linear},
 * {@link dev.steeropt.core.model.layers.RmsNorm}, {@link dev.steeropt.core.model.layers.LayerNorm},
 * {@link dev.steeropt.core.model.layers.Rope}, {@link dev.steeropt.core.model.layers.Attention}, the MLPs,
 * {@link dev.steeropt.core.model.layers.DecoderBlock} (where block hooks fire) and
 * {@link dev.steeropt.core.model.layers.Transformer}. All arrays of a step live in the step scope of
 * {@link dev.steeropt.core.model.layers.ForwardContext}; weights belong to the model manager.
 */
package dev.steeropt.core.model.layers;
