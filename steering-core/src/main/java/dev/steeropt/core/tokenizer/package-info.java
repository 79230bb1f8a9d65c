/**
 * Tokenization and prompt formatting for Hugging Face checkpoints: {@link dev.steeropt.core.tokenizer.Tokenizer}
 * loads {@code tokenizer.json} through DJL's binding of the Rust {@code tokenizers} library with HF's exact
 * semantics, and {@link dev.steeropt.core.tokenizer.ChatTemplate} renders the checkpoint's Jinja chat template.
 *
 * <p>Other modules see only {@code int[]}, {@code String} and the records here; no DJL type leaves this package.
 */
package dev.steeropt.core.tokenizer;
