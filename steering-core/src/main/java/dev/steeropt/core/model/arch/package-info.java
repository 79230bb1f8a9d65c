/**
 * Architecture adapters keyed by HF {@code model_type} ({@link dev.steeropt.core.model.arch.ArchitectureRegistry}):
 * Llama/Mistral, Qwen2 and GPT-2 read their config keys and map their weight names onto the shared layers of
 * {@code model.layers}. Unknown types and unsupported settings are rejected by name.
 */
package dev.steeropt.core.model.arch;
