package dev.steeropt.core.model.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.model.arch.StoredTensor;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.io.TestSafetensorsReader;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The presets of the newer architectures have the published dimensions and parameter counts (checked by config,
 * shapes and count only: the 1B+ shapes are several GB in F32), and a scaled-down variant of each architecture,
 * written through the same code path, loads through its adapter and generates.
 */
class PublishedShapesTest {

    private static Map<String, long[]> shapes(ModelInitializer.Plan p) {
        return p.tensors().stream().collect(Collectors.toMap(StoredTensor::name, StoredTensor::shape));
    }

    @Test
    void qwen3Shape() {
        ModelInitializer.Plan p = ModelInitializer.preset(ModelPreset.QWEN3_0_6B);
        ModelConfig c = p.model();
        assertEquals(List.of(1024, 28, 16, 8, 128, 3072, 151936), List.of(c.hiddenSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.intermediateSize(), c.vocabSize()));
        assertTrue(c.tieWordEmbeddings());
        assertEquals(1e6, c.rope().theta(), 0);
        // Qwen3-0.6B's model card: 0.6B parameters, 0.44B without embeddings
        assertEquals(596_049_920L, p.parameterCount());
        assertEquals(0.44e9, p.parameterCount() - 151936L * 1024, 0.005e9);
        Map<String, long[]> t = shapes(p);
        assertArrayEquals(new long[] {128}, t.get("model.layers.27.self_attn.q_norm.weight"));
        assertArrayEquals(new long[] {2048, 1024}, t.get("model.layers.0.self_attn.q_proj.weight"));
        assertFalse(t.containsKey("lm_head.weight"));
        assertFalse(t.containsKey("model.layers.0.self_attn.q_proj.bias"));
    }

    @Test
    void gemma2Shape() {
        ModelInitializer.Plan p = ModelInitializer.preset(ModelPreset.GEMMA_2_2B);
        ModelConfig c = p.model();
        assertEquals(List.of(2304, 26, 8, 4, 256, 9216, 256000), List.of(c.hiddenSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.intermediateSize(), c.vocabSize()));
        assertEquals(4096, c.details().window(0), "even layers slide");
        assertEquals(0, c.details().window(1), "odd layers are global");
        assertEquals(50.0, c.details().attnSoftCap(), 0);
        assertEquals(30.0, c.details().finalSoftCap(), 0);
        assertEquals(1 / 16.0, c.details().attentionScale(), 1e-12);
        assertTrue(c.tieWordEmbeddings());
        assertEquals(2_614_341_888L, p.parameterCount()); // google/gemma-2-2b on the Hub: 2.61B
        Map<String, long[]> t = shapes(p);
        assertArrayEquals(new long[] {2304}, t.get("model.layers.25.pre_feedforward_layernorm.weight"));
        assertEquals(StoredTensor.Init.ZEROS, p.tensors().stream()
                .filter(x -> x.name().equals("model.norm.weight")).findFirst().orElseThrow().init(), "(1 + w) norms start at 0");
    }

    @Test
    void phi3Shape() {
        ModelInitializer.Plan p = ModelInitializer.preset(ModelPreset.PHI_3_MINI);
        ModelConfig c = p.model();
        assertEquals(List.of(3072, 32, 32, 32, 96, 8192, 32064), List.of(c.hiddenSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.intermediateSize(), c.vocabSize()));
        assertEquals(2047, c.details().window(0));
        assertEquals(2047, c.details().window(31));
        assertFalse(c.tieWordEmbeddings());
        assertEquals(3_821_079_552L, p.parameterCount()); // Phi-3-mini: 3.8B (3,821,079,552)
        Map<String, long[]> t = shapes(p);
        assertArrayEquals(new long[] {9216, 3072}, t.get("model.layers.0.self_attn.qkv_proj.weight"));
        assertArrayEquals(new long[] {16384, 3072}, t.get("model.layers.0.mlp.gate_up_proj.weight"));
        assertFalse(t.containsKey("model.layers.0.self_attn.q_proj.weight"));
    }

    @Test
    void olmo2Shape() {
        ModelInitializer.Plan p = ModelInitializer.preset(ModelPreset.OLMO_2_1B);
        ModelConfig c = p.model();
        assertEquals(List.of(2048, 16, 16, 16, 128, 8192, 100352), List.of(c.hiddenSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.intermediateSize(), c.vocabSize()));
        assertEquals(500000.0, c.rope().theta(), 0);
        assertEquals(1_484_916_736L, p.parameterCount()); // OLMo-2-0425-1B on the Hub: 1.48B
        Map<String, long[]> t = shapes(p);
        assertArrayEquals(new long[] {2048}, t.get("model.layers.0.self_attn.k_norm.weight"), "q/k norm over the projection");
        assertFalse(t.containsKey("model.layers.0.input_layernorm.weight"), "OLMo 2 has no pre-norms");
    }

    @Test
    void pythiaShape() {
        ModelInitializer.Plan p = ModelInitializer.preset(ModelPreset.PYTHIA_160M);
        ModelConfig c = p.model();
        assertEquals(List.of(768, 12, 12, 64, 3072, 50304), List.of(c.hiddenSize(), c.numLayers(), c.numHeads(),
                c.headDim(), c.intermediateSize(), c.vocabSize()));
        assertEquals(16, c.rotaryDim(), "rotary_pct 0.25 of 64");
        assertTrue(c.details().parallelResidual());
        assertEquals(162_322_944L, p.parameterCount()); // the Pythia suite's table: 162,322,944 for pythia-160m
    }

    @Test
    void gemmaConfigWithoutTieKeyTiesAsTransformersDoes(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("c.json");
        Map<String, Object> published = PublishedConfigs.gemma2_2b();
        published.remove("tie_word_embeddings");
        Files.writeString(cfg, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(published));
        ModelInitializer.Plan p = ModelInitializer.fromConfig(cfg);
        assertTrue(p.model().tieWordEmbeddings());
        assertFalse(p.tensors().stream().anyMatch(t -> t.name().equals("lm_head.weight")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "gemma2", "phi3", "olmo2", "gpt_neox"})
    void scaledDownVariantWritesLoadsAndGenerates(String type, @TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("small.json");
        String kv = type.equals("gpt_neox") ? "" : "\"num_key_value_heads\": 2, \"head_dim\": 16, ";
        Files.writeString(cfg, "{\"model_type\": \"" + type + "\", \"hidden_size\": 64, \"num_hidden_layers\": 3,"
                + " \"num_attention_heads\": 4, " + kv + "\"intermediate_size\": 96, \"vocab_size\": 300,"
                + " \"max_position_embeddings\": 128}");
        ModelInitializer.Plan plan = ModelInitializer.fromConfig(cfg);
        Path out = dir.resolve("model");
        ModelInitializer.Result r = plan.write(out, 3);
        assertEquals(plan.parameterCount(), r.parameters());

        TestSafetensorsReader st = new TestSafetensorsReader(out.resolve("model.safetensors"));
        assertEquals(plan.tensors().size(), st.namesInFileOrder.size() - 1, "every listed tensor written");
        for (StoredTensor t : plan.tensors()) {
            assertArrayEquals(t.shape(), st.shape(t.name()), t.name());
            float want = switch (t.init()) {
                case ONES -> 1f;
                case ZEROS -> 0f;
                case NORMAL -> Float.NaN;
            };
            if (!Float.isNaN(want)) {
                for (float v : st.floats(t.name())) {
                    assertEquals(want, v, t.name());
                }
            }
        }

        try (LoadedModel m = LoadedModel.load(out)) {
            assertEquals(type, m.config().modelType());
            assertEquals(3, m.config().numLayers());
            PromptBatch batch = PromptBatch.leftPad(List.of(new int[] {5, 17, 42, 7, 99}, new int[] {12, 250}), 297);
            int[][] tokens = m.generate(GenerationRequest.builder(batch).maxNewTokens(4).stopTokenIds(java.util.Set.of()).build()).tokens();
            assertEquals(2, tokens.length);
            for (int[] row : tokens) {
                assertEquals(4, row.length);
                for (int id : row) {
                    assertTrue(id >= 0 && id < 300, "token id " + id);
                }
            }
        }
    }

    @Test
    void unknownTypesAndTooSmallVocabularyAreRejected(@TempDir Path dir) throws IOException {
        Path moe = dir.resolve("moe.json");
        Files.writeString(moe, "{\"model_type\": \"qwen3_moe\", \"hidden_size\": 64}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInitializer.fromConfig(moe));
        assertTrue(e.getMessage().contains("qwen3, gemma2, phi3, olmo2, gpt_neox"), e.getMessage());
        Path small = dir.resolve("small.json");
        Files.writeString(small, "{\"model_type\": \"olmo2\", \"vocab_size\": 100}");
        e = assertThrows(IllegalArgumentException.class, () -> ModelInitializer.fromConfig(small));
        assertTrue(e.getMessage().contains("vocab_size 100 is too small"), e.getMessage());
    }
}
