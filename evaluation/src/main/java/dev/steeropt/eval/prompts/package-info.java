/**
 * Prompt variants: zero-shot chat (through a caller-supplied chat template), k-shot base
 * ({@code Question: ...\nAnswer:}) and zero-shot chain of thought, each a named, versioned
 * {@link dev.steeropt.eval.prompts.PromptVariant} with stop sequences and a hash for cache keys.
 * {@link dev.steeropt.eval.prompts.PromptVariants} builds them; k-shot exemplars come from the train split only.
 */
package dev.steeropt.eval.prompts;
