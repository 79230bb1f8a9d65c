/**
 * Dynamic Activation Composition (steering-reference.md §2.4): the KV-cached three-state decode step
 * ({@link dev.steeropt.core.steering.dac.DacDecoder}) and the truncated-KL strength rule
 * ({@link dev.steeropt.core.steering.dac.DacDivergence}).
 */
package dev.steeropt.core.steering.dac;
