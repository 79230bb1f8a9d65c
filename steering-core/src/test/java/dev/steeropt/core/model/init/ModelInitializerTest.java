package dev.steeropt.core.model.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.io.PythonJson;
import dev.steeropt.core.model.io.TestSafetensorsReader;
import dev.steeropt.core.tokenizer.ChatMessage;
import dev.steeropt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * init-model output loads back: config keys and values, HF tensor names and shapes (fixture README's table), the
 * N(0, 0.02) / ones / zeros init (statistical bounds: mean within 5 standard errors, std within 2%), determinism, and
 * a tokenizer with exactly vocab_size ids.
 */
class ModelInitializerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path writeConfig(Path dir, String json) throws IOException {
        Path p = dir.resolve("in-config.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void customLlamaConfigWritesAnHfDirectoryThatLoadsBack(@TempDir Path dir) throws IOException {
        Path cfg = writeConfig(dir, """
                {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 300, "rms_norm_eps": 1e-5,
                 "rope_theta": 10000.0, "max_position_embeddings": 256, "tie_word_embeddings": false,
                 "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                  "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
                 "custom_key": "kept"}""");
        Path out = dir.resolve("model");
        ModelInitializer.Result r = ModelInitializer.fromConfig(cfg).write(out, 7);

        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        List<String> sorted = new ArrayList<>(keys);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, keys, "keys sorted like transformers' to_json_string");
        assertEquals("LlamaForCausalLM", config.path("architectures").get(0).asText());
        assertEquals(16, config.path("head_dim").asInt());
        assertEquals(2, config.path("num_key_value_heads").asInt());
        assertEquals(297, config.path("eos_token_id").asInt());
        assertEquals("kept", config.path("custom_key").asText());
        assertEquals("llama3", config.path("rope_scaling").path("rope_type").asText());
        assertEquals("float32", config.path("torch_dtype").asText());
        String raw = Files.readString(out.resolve("config.json"));
        assertTrue(raw.contains("\"rms_norm_eps\": 1e-05,"), "Python float repr: " + raw);
        assertTrue(raw.startsWith("{\n  \"architectures\": [\n    \"LlamaForCausalLM\"\n  ],"), raw);

        TestSafetensorsReader st = new TestSafetensorsReader(out.resolve("model.safetensors"));
        Map<String, long[]> expected = new TreeMap<>();
        expected.put("model.embed_tokens.weight", new long[] {300, 64});
        for (int i = 0; i < 2; i++) {
            String p = "model.layers." + i + ".";
            expected.put(p + "input_layernorm.weight", new long[] {64});
            expected.put(p + "self_attn.q_proj.weight", new long[] {64, 64});
            expected.put(p + "self_attn.k_proj.weight", new long[] {32, 64});
            expected.put(p + "self_attn.v_proj.weight", new long[] {32, 64});
            expected.put(p + "self_attn.o_proj.weight", new long[] {64, 64});
            expected.put(p + "post_attention_layernorm.weight", new long[] {64});
            expected.put(p + "mlp.gate_proj.weight", new long[] {128, 64});
            expected.put(p + "mlp.up_proj.weight", new long[] {128, 64});
            expected.put(p + "mlp.down_proj.weight", new long[] {64, 128});
        }
        expected.put("model.norm.weight", new long[] {64});
        expected.put("lm_head.weight", new long[] {300, 64});
        List<String> names = new ArrayList<>(st.namesInFileOrder);
        assertEquals("__metadata__", names.remove(0));
        assertEquals(new ArrayList<>(expected.keySet()), names);
        long params = 0;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), st.shape(e.getKey()), e.getKey());
            assertEquals("F32", st.dtype(e.getKey()));
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            params += n;
        }
        assertEquals(params, r.parameters());
        assertEquals(Map.of("format", "pt"), st.metadata());

        for (float v : st.floats("model.layers.1.post_attention_layernorm.weight")) {
            assertEquals(1.0f, v);
        }
        assertNormal(st.floats("model.embed_tokens.weight"), 0.02);
        assertNormal(st.floats("model.layers.0.mlp.down_proj.weight"), 0.02);

        try (Tokenizer tok = Tokenizer.load(out)) {
            assertEquals(300, tok.vocabSize());
            assertArrayEquals(new int[] {297}, tok.eosIds());
            assertEquals(java.util.OptionalInt.of(297), tok.bosId());
            assertEquals(java.util.Set.of(297, 298, 299), tok.specialIds());
            String text = "Hello world, 12 + 30 = 42.\nNaïve café ☕";
            int[] ids = tok.encode(text, false);
            assertTrue(ids.length < text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    "merges shorten the sequence: " + ids.length);
            assertEquals(text, tok.decode(ids, false));
            assertArrayEquals(new int[] {297}, tok.encode("<|endoftext|>", false));
            assertArrayEquals(tok.encode("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", false),
                    tok.encodeChat(List.of(ChatMessage.user("hi")), true));
        }
    }

    @Test
    void customQwen2ConfigHasQkvBiasesAndNoLmHeadWhenTied(@TempDir Path dir) throws IOException {
        Path cfg = writeConfig(dir, """
                {"model_type": "qwen2", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4,
                 "num_key_value_heads": 1, "intermediate_size": 48, "vocab_size": 260, "tie_word_embeddings": true,
                 "rope_theta": 1000000.0, "rms_norm_eps": 1e-6}""");
        Path out = dir.resolve("qwen");
        ModelInitializer.fromConfig(cfg).write(out, 1);
        TestSafetensorsReader st = new TestSafetensorsReader(out.resolve("model.safetensors"));
        assertFalse(st.namesInFileOrder.contains("lm_head.weight"));
        assertArrayEquals(new long[] {32}, st.shape("model.layers.0.self_attn.q_proj.bias"));
        assertArrayEquals(new long[] {8}, st.shape("model.layers.0.self_attn.k_proj.bias"));
        assertArrayEquals(new long[] {8}, st.shape("model.layers.0.self_attn.v_proj.bias"));
        assertFalse(st.namesInFileOrder.contains("model.layers.0.self_attn.o_proj.bias"));
        for (float v : st.floats("model.layers.0.self_attn.k_proj.bias")) {
            assertEquals(0.0f, v);
        }
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals("Qwen2ForCausalLM", config.path("architectures").get(0).asText());
        assertFalse(config.path("use_sliding_window").asBoolean(true));
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"rope_theta\": 1000000.0,"));
        try (Tokenizer tok = Tokenizer.load(out)) {
            assertEquals(260, tok.vocabSize());
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights(@TempDir Path dir) throws IOException {
        Path cfg = writeConfig(dir, """
                {"model_type": "llama", "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "intermediate_size": 32, "vocab_size": 270}""");
        ModelInitializer.Plan plan = ModelInitializer.fromConfig(cfg);
        plan.write(dir.resolve("a"), 5);
        plan.write(dir.resolve("b"), 5);
        plan.write(dir.resolve("c"), 6);
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/model.safetensors")),
                Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @Test
    void presetsHaveThePublishedShapes() {
        // parameter counts as in shared/baselines/perf-baseline.json (models.*.limits.params)
        ModelInitializer.Plan smol = ModelInitializer.preset(ModelPreset.SMOLLM2_135M);
        assertEquals(134_515_008L, smol.parameterCount());
        assertEquals(576, smol.config().get("hidden_size"));
        assertEquals(30, smol.config().get("num_hidden_layers"));
        assertEquals(9, smol.config().get("num_attention_heads"));
        assertEquals(3, smol.config().get("num_key_value_heads"));
        assertEquals(1536, smol.config().get("intermediate_size"));
        assertEquals(49152, smol.config().get("vocab_size"));
        assertEquals(true, smol.config().get("tie_word_embeddings"));
        assertEquals(100000.0, smol.config().get("rope_theta"));
        assertEquals(1e-5, smol.config().get("rms_norm_eps"));
        assertEquals(8192, smol.config().get("max_position_embeddings"));

        ModelInitializer.Plan qwen = ModelInitializer.preset(ModelPreset.QWEN2_5_0_5B);
        assertEquals(494_032_768L, qwen.parameterCount());
        assertEquals("qwen2", qwen.config().get("model_type"));
        assertEquals(896, qwen.config().get("hidden_size"));
        assertEquals(24, qwen.config().get("num_hidden_layers"));
        assertEquals(14, qwen.config().get("num_attention_heads"));
        assertEquals(2, qwen.config().get("num_key_value_heads"));
        assertEquals(4864, qwen.config().get("intermediate_size"));
        assertEquals(151936, qwen.config().get("vocab_size"));
        assertEquals(1e6, qwen.config().get("rope_theta"));
        assertEquals(1e-6, qwen.config().get("rms_norm_eps"));
        assertTrue(qwen.model().attentionBias());
        assertEquals(151643, qwen.eosId());
    }

    @Test
    void smollm2PresetTokenizerHasTheFullVocabulary(@TempDir Path dir) throws IOException {
        // write only the tokenizer side of the preset by initialising a one-layer model of the same vocabulary
        ModelInitializer.Plan smol = ModelInitializer.preset(ModelPreset.SMOLLM2_135M);
        Map<String, Object> tree = SyntheticByteLevelBpe.tokenizerJson(49152, smol.specialIds());
        Files.writeString(dir.resolve("tokenizer.json"), PythonJson.hfFile(tree));
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(49152, tok.vocabSize());
            assertEquals(java.util.OptionalInt.of(0), tok.tokenId("<|endoftext|>"));
            String text = "The quick brown fox jumps over the lazy dog 1234567890 times.";
            assertEquals(text, tok.decode(tok.encode(text, false), false));
        }
    }

    @Test
    void unsupportedInputIsRejectedWithTheReason(@TempDir Path dir) throws IOException {
        assertTrue(ModelPreset.find("gpt-5").isEmpty());
        assertEquals(java.util.Optional.of(ModelPreset.QWEN3_0_6B), ModelPreset.find(" Qwen3-0.6B"));
        assertEquals(java.util.List.of("smollm2-135m", "qwen2.5-0.5b", "qwen3-0.6b", "gemma-2-2b", "phi-3-mini",
                "olmo-2-1b", "pythia-160m"), ModelPreset.names());
        Path gpt2 = writeConfig(dir, "{\"model_type\": \"gpt2\", \"n_embd\": 64}");
        IllegalArgumentException type =
                assertThrows(IllegalArgumentException.class, () -> ModelInitializer.fromConfig(gpt2));
        assertTrue(type.getMessage().contains("model_type is \"gpt2\""), type.getMessage());
        Path badHeads = dir.resolve("bad.json");
        Files.writeString(badHeads, "{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_attention_heads\": 6,"
                + " \"num_key_value_heads\": 4, \"head_dim\": 8, \"vocab_size\": 300}");
        IllegalArgumentException heads =
                assertThrows(IllegalArgumentException.class, () -> ModelInitializer.fromConfig(badHeads));
        assertTrue(heads.getMessage().contains("not a multiple of num_key_value_heads"), heads.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ModelInitializer.fromConfig(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    /** Mean within 5 standard errors of 0, sample std within 2% of sigma (n >= 4096 here). */
    private static void assertNormal(float[] values, double sigma) {
        double sum = 0;
        double sq = 0;
        for (float v : values) {
            sum += v;
            sq += (double) v * v;
        }
        int n = values.length;
        double mean = sum / n;
        double std = Math.sqrt(sq / n - mean * mean);
        assertTrue(Math.abs(mean) < 5 * sigma / Math.sqrt(n), "mean " + mean + " over " + n + " values");
        assertEquals(sigma, std, 0.02 * sigma, "std over " + n + " values");
    }
}
