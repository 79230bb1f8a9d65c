/**
 * Runtime benchmarks that print their figures: {@link dev.steeropt.core.bench.RuntimeBenchmark} follows the protocol
 * of {@code shared/baselines/README.md} (greedy generation with and without steering, decode-only rate, prefill with
 * hidden states, peak RSS) so its numbers compare with {@code perf-baseline.json}; a native-memory check runs many
 * generate calls and reports RSS and managed-array counts.
 */
package dev.steeropt.core.bench;
