/**
 * The inference runtime. {@link dev.steeropt.core.runtime.LoadedModel} loads a folder and owns the weights;
 * {@link dev.steeropt.core.runtime.LoadedModel#generate} runs batched prefill then decode with per-row stopping;
 * {@link dev.steeropt.core.runtime.LoadedModel#forward} returns logits and captured activations;
 * {@link dev.steeropt.core.runtime.PromptState} reuses a prefilled prompt across calls; and
 * {@link dev.steeropt.core.runtime.DecodeState} is the step API (prefill once, fork the cache, step one token with a
 * given hook set), its memory owned by a {@link dev.steeropt.core.runtime.DecodeCall}. Native memory: model manager
 * (weights, capped) → call manager (KV cache; a {@code DecodeCall}) → step manager (a {@code DecodeCall.Step}).
 */
package dev.steeropt.core.runtime;
