package dev.steeropt.core.model.init;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code config.json} of published models whose shapes {@code init-model} writes, key for key as on the Hugging
 * Face Hub, except {@code torch_dtype} (float32, what is written), the special-token ids (those of the synthetic
 * tokenizer, see {@link ModelInitializer}) and keys that only name remote code. Where a published config leaves a
 * key to transformers' class default, and our adapter's default differs or the key matters, it is written out.
 */
final class PublishedConfigs {

    private PublishedConfigs() {}

    /** {@code Qwen/Qwen3-0.6B} (transformers 4.51 keys). */
    static Map<String, Object> qwen3_0_6b() {
        Map<String, Object> c = base("Qwen3ForCausalLM", "qwen3");
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("head_dim", 128);
        c.put("hidden_act", "silu");
        c.put("hidden_size", 1024);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", 3072);
        c.put("max_position_embeddings", 40960);
        c.put("max_window_layers", 28);
        c.put("num_attention_heads", 16);
        c.put("num_hidden_layers", 28);
        c.put("num_key_value_heads", 8);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_scaling", null);
        c.put("rope_theta", 1000000);
        c.put("sliding_window", null);
        c.put("tie_word_embeddings", true);
        c.put("use_cache", true);
        c.put("use_sliding_window", false);
        c.put("vocab_size", 151936);
        return c;
    }

    /**
     * {@code google/gemma-2-2b}. The published file has no {@code tie_word_embeddings} (Gemma2Config's default, true,
     * applies); it is written out.
     */
    static Map<String, Object> gemma2_2b() {
        Map<String, Object> c = base("Gemma2ForCausalLM", "gemma2");
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("attn_logit_softcapping", 50.0);
        c.put("cache_implementation", "hybrid");
        c.put("final_logit_softcapping", 30.0);
        c.put("head_dim", 256);
        c.put("hidden_act", "gelu_pytorch_tanh");
        c.put("hidden_activation", "gelu_pytorch_tanh");
        c.put("hidden_size", 2304);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", 9216);
        c.put("max_position_embeddings", 8192);
        c.put("num_attention_heads", 8);
        c.put("num_hidden_layers", 26);
        c.put("num_key_value_heads", 4);
        c.put("query_pre_attn_scalar", 256);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("sliding_window", 4096);
        c.put("tie_word_embeddings", true);
        c.put("use_cache", true);
        c.put("vocab_size", 256000);
        return c;
    }

    /** {@code microsoft/Phi-3-mini-4k-instruct} (without {@code auto_map}, which names remote code). */
    static Map<String, Object> phi3Mini() {
        Map<String, Object> c = base("Phi3ForCausalLM", "phi3");
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("embd_pdrop", 0.0);
        c.put("hidden_act", "silu");
        c.put("hidden_size", 3072);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", 8192);
        c.put("max_position_embeddings", 4096);
        c.put("num_attention_heads", 32);
        c.put("num_hidden_layers", 32);
        c.put("num_key_value_heads", 32);
        c.put("original_max_position_embeddings", 4096);
        c.put("resid_pdrop", 0.0);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_scaling", null);
        c.put("rope_theta", 10000.0);
        c.put("sliding_window", 2047);
        c.put("tie_word_embeddings", false);
        c.put("use_cache", true);
        c.put("vocab_size", 32064);
        return c;
    }

    /** {@code allenai/OLMo-2-0425-1B}. */
    static Map<String, Object> olmo2_1b() {
        Map<String, Object> c = base("Olmo2ForCausalLM", "olmo2");
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("hidden_act", "silu");
        c.put("hidden_size", 2048);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", 8192);
        c.put("max_position_embeddings", 4096);
        c.put("num_attention_heads", 16);
        c.put("num_hidden_layers", 16);
        c.put("num_key_value_heads", 16);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_scaling", null);
        c.put("rope_theta", 500000);
        c.put("tie_word_embeddings", false);
        c.put("use_cache", true);
        c.put("vocab_size", 100352);
        return c;
    }

    /** {@code EleutherAI/pythia-160m}. */
    static Map<String, Object> pythia160m() {
        Map<String, Object> c = base("GPTNeoXForCausalLM", "gpt_neox");
        c.put("hidden_act", "gelu");
        c.put("hidden_size", 768);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", 3072);
        c.put("layer_norm_eps", 1e-5);
        c.put("max_position_embeddings", 2048);
        c.put("num_attention_heads", 12);
        c.put("num_hidden_layers", 12);
        c.put("rotary_emb_base", 10000);
        c.put("rotary_pct", 0.25);
        c.put("tie_word_embeddings", false);
        c.put("use_cache", true);
        c.put("use_parallel_residual", true);
        c.put("vocab_size", 50304);
        return c;
    }

    /** The published config of this {@code model_type}, or null if init-model has none. */
    static Map<String, Object> forModelType(String type) {
        return switch (type) {
            case "qwen3" -> qwen3_0_6b();
            case "gemma2" -> gemma2_2b();
            case "phi3" -> phi3Mini();
            case "olmo2" -> olmo2_1b();
            case "gpt_neox" -> pythia160m();
            default -> null;
        };
    }

    /** Model types {@link #forModelType} knows. */
    static final List<String> MODEL_TYPES = List.of("qwen3", "gemma2", "phi3", "olmo2", "gpt_neox");

    private static Map<String, Object> base(String architecture, String modelType) {
        Map<String, Object> c = new TreeMap<>();
        c.put("architectures", Arrays.asList(architecture));
        c.put("model_type", modelType);
        c.put("torch_dtype", "float32");
        return new HashMap<>(c);
    }
}
