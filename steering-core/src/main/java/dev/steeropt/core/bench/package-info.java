/**
 * Runtime benchmarks that print their figures: {@link dev.steeropt.core.bench.RuntimeBenchmark} follows the protocol
 * of {@code shared/baselines/README.md} (greedy generation with and without steering, decode-only rate, prefill with
 * hidden states, peak RSS) so its numbers compare with {@code perf-baseline.json};
 * {@link dev.steeropt.core.bench.MemoryCheck} judges many generate calls by the arrays alive across every manager of
 * the model and by RSS growth.
 */
package dev.steeropt.core.bench;
