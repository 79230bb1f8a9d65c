/**
 * Next-token selection in plain Java: {@link dev.steeropt.core.runtime.sampling.TokenSampler} (argmax, temperature,
 * top-k, top-p) over a row's logits with that row's own seeded generator.
 */
package dev.steeropt.core.runtime.sampling;
