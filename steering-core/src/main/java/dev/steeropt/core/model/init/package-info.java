/**
 * Randomly initialised checkpoints of real shapes ({@code smollm2-135m}, {@code qwen2.5-0.5b}, or any llama/qwen2
 * {@code config.json}) in Hugging Face's directory layout, for benchmarks and loader tests:
 * {@link dev.steeropt.core.model.init.ModelInitializer} is the entry point.
 */
package dev.steeropt.core.model.init;
