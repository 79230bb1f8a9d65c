package dev.steeropt.core.model.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.config.RopeConfig;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.testing.Assert;
import dev.steeropt.core.testing.Fixture;
import dev.steeropt.core.testing.TestSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json of the newer architectures: the fixtures resolve to the README's arch_details, v4 and v5 key styles give
 * the same config, unsupported options fail at load with one line naming them, and the sliding window is pinned
 * exactly (W keys, not W+1 and not none) by the reference logits.
 */
class NewerArchitecturesConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path variant(String fixture, Consumer<ObjectNode> edit) throws IOException {
        Path dir = Files.createTempDirectory(tmp, fixture);
        TestSafetensors.copyDir(Fixture.modelDir(fixture), dir);
        ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        edit.accept(cfg);
        JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
        return dir;
    }

    private static ModelConfig parse(Path dir) {
        ConfigJson json = ConfigJson.read(dir);
        return ArchitectureRegistry.forConfig(json).parseConfig(json);
    }

    private static String loadError(Path dir) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir).close());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void fixturesResolveToTheirArchitectureDetails() {
        ModelConfig qwen3 = parse(Fixture.modelDir("tiny-qwen3-fp32"));
        assertEquals(16, qwen3.headDim(), "explicit head_dim, not 48/4");
        assertEquals(List.of(), qwen3.details().slidingWindows(), "use_sliding_window false: no window");
        ModelConfig gemma2 = parse(Fixture.modelDir("tiny-gemma2-fp32"));
        assertEquals(List.of(8, 0, 8), gemma2.details().slidingWindows(), "no layer_types: the even layers slide");
        assertEquals(1 / Math.sqrt(24), gemma2.details().attentionScale(), 1e-15);
        assertEquals(4.0, gemma2.details().attnSoftCap());
        assertEquals(10.0, gemma2.details().finalSoftCap());
        ModelConfig gemma3 = parse(Fixture.modelDir("tiny-gemma3-fp32"));
        assertEquals(List.of(6, 6, 0), gemma3.details().slidingWindows(), "layer_types");
        assertEquals(1e6, gemma3.rope().theta());
        assertEquals(10000.0, gemma3.details().localRope().theta());
        assertEquals(0.0, gemma3.details().finalSoftCap(), "null soft-cap is none");
        ModelConfig phi3 = parse(Fixture.modelDir("tiny-phi3-fp32"));
        assertEquals(12, phi3.rotaryDim(), "int(16 * 0.75)");
        assertEquals(List.of(), phi3.details().slidingWindows());
        assertNull(phi3.details().localRope());
        ModelConfig mistral = parse(Fixture.modelDir("tiny-mistral-sw-fp32"));
        assertEquals(List.of(10, 10, 10), mistral.details().slidingWindows());
        ModelConfig neox = parse(Fixture.modelDir("tiny-gptneox-fp32"));
        assertEquals(4, neox.rotaryDim(), "int(16 * 0.25)");
        assertTrue(neox.details().parallelResidual() && neox.attentionBias());
        assertEquals(10000.0, neox.rope().theta());
    }

    @Test
    void inverseFrequenciesOfPartialRotaryAndBothGemma3TablesMatchReference() {
        for (String name : List.of("tiny-phi3-fp32", "tiny-gptneox-fp32", "tiny-gemma3-fp32")) {
            try (Fixture f = Fixture.open(name)) {
                ModelConfig c = parse(f.dir());
                double[] inv = c.rope().inverseFrequencies(c.rotaryDim());
                assertEquals(f.json().at("/rope/inv_freq").size(), inv.length, name);
                for (int m = 0; m < inv.length; m++) {
                    assertEquals(f.json().at("/rope/inv_freq").get(m).asDouble(), inv[m], 1e-7 * inv[m], name + " inv_freq " + m);
                }
            }
        }
        try (Fixture f = Fixture.open("tiny-gemma3-fp32")) {
            ModelConfig c = parse(f.dir());
            double[] local = c.details().localRope().inverseFrequencies(c.rotaryDim());
            var ref = f.json().at("/rope/per_layer_type/sliding_attention/inv_freq");
            assertEquals(ref.size(), local.length);
            for (int m = 0; m < local.length; m++) {
                assertEquals(ref.get(m).asDouble(), local[m], 1e-7 * local[m], "sliding inv_freq " + m);
            }
        }
    }

    @Test
    void gemma3V4KeysGiveTheSameConfigAsV5() throws IOException {
        Path v4 = variant("tiny-gemma3-fp32", c -> {
            c.remove("layer_types");
            c.remove("rope_parameters");
            c.remove("_sliding_window_pattern");
            c.put("sliding_window_pattern", 3);
            c.put("rope_theta", 1e6);
            c.put("rope_local_base_freq", 10000.0);
            c.putNull("rope_scaling");
            c.put("torch_dtype", c.remove("dtype").asText());
        });
        ModelConfig a = parse(Fixture.modelDir("tiny-gemma3-fp32"));
        ModelConfig b = parse(v4);
        assertEquals(a.details(), b.details());
        assertEquals(a.rope(), b.rope());
        assertEquals(a.storedDtype(), b.storedDtype());
    }

    @Test
    void gemmaV5LayerTypesAndPerTypeRopeParametersAreFollowed() throws IOException {
        Path v5 = variant("tiny-gemma2-fp32", c -> {
            c.putArray("layer_types").add("full_attention").add("sliding_attention").add("full_attention");
            c.remove("rope_theta");
            c.remove("rope_scaling");
            c.putObject("rope_parameters").put("rope_theta", 10000.0).put("rope_type", "default");
        });
        ModelConfig c = parse(v5);
        assertEquals(List.of(0, 8, 0), c.details().slidingWindows(), "layer_types wins over the derived pattern");
        assertEquals(RopeConfig.unscaled(10000.0), c.rope());
        Path linear = variant("tiny-gemma3-fp32", c2 -> ((ObjectNode) c2.get("rope_parameters").get("full_attention"))
                .put("rope_type", "linear").put("factor", 8.0));
        ModelConfig g3 = parse(linear);
        assertEquals(RopeConfig.Type.LINEAR, g3.rope().type(), "the full-attention layers' scaling");
        assertEquals(RopeConfig.Type.DEFAULT, g3.details().localRope().type(), "sliding layers unscaled");
    }

    @Test
    void neoxV5KeysAndSequentialResidual() throws IOException {
        Path v5 = variant("tiny-gptneox-fp32", c -> {
            c.remove("rotary_pct");
            c.remove("rotary_emb_base");
            c.putObject("rope_parameters").put("rope_theta", 10000.0).put("rope_type", "default").put("partial_rotary_factor", 0.25);
            c.put("use_parallel_residual", false);
        });
        ModelConfig c = parse(v5);
        assertEquals(4, c.rotaryDim());
        assertEquals(10000.0, c.rope().theta());
        try (LoadedModel m = LoadedModel.load(v5)) {
            assertTrue(m.hookPoints().contains(HookPoint.residMid(0)), "a sequential NeoX block has hook_resid_mid");
        }
    }

    @Test
    void mixtureOfExpertsIsRejectedByName() throws IOException {
        for (String type : List.of("qwen2_moe", "qwen3_moe")) {
            String msg = loadError(variant("tiny-qwen3-fp32", c -> c.put("model_type", type)));
            assertTrue(msg.contains("\"" + type + "\"") && msg.contains("mixture-of-experts"), msg);
        }
        String msg = loadError(variant("tiny-qwen3-fp32", c -> c.put("num_experts", 8)));
        assertTrue(msg.contains("num_experts is 8") && msg.contains("mixture-of-experts"), msg);
    }

    @Test
    void phi3LongropeIsRejectedByName() throws IOException {
        String msg = loadError(variant("tiny-phi3-fp32", c -> ((ObjectNode) c.get("rope_parameters")).put("rope_type", "longrope")));
        assertTrue(msg.contains("rope_parameters.rope_type is \"longrope\""), msg);
        String v4 = loadError(variant("tiny-phi3-fp32", c -> {
            c.remove("rope_parameters");
            c.putObject("rope_scaling").put("type", "su");
        }));
        assertTrue(v4.contains("rope_scaling.rope_type is \"su\""), v4);
    }

    @Test
    void attentionSinksMultimodalGemma3AndOtherUnimplementedOptionsAreRejected() throws IOException {
        String sinks = loadError(variant("tiny-qwen3-fp32", c -> c.put("model_type", "gpt_oss")));
        assertTrue(sinks.contains("attention sinks"), sinks);
        String mm = loadError(variant("tiny-gemma3-fp32", c -> c.put("model_type", "gemma3")));
        assertTrue(mm.contains("multimodal") && mm.contains("gemma3_text"), mm);
        String bidi = loadError(variant("tiny-gemma3-fp32", c -> c.put("use_bidirectional_attention", true)));
        assertTrue(bidi.contains("use_bidirectional_attention"), bidi);
        String qwenWindow = loadError(variant("tiny-qwen3-fp32", c -> c.put("use_sliding_window", true)));
        assertTrue(qwenWindow.contains("use_sliding_window is true"), qwenWindow);
        String act = loadError(variant("tiny-gptneox-fp32", c -> c.put("hidden_act", "gelu_fast")));
        assertTrue(act.contains("hidden_act is \"gelu_fast\""), act);
    }

    /**
     * The reference pins the window exactly: without it, or with W+1 keys (the {@code t − u ≤ W} misreading), the prompt
     * logits move far beyond the parity tolerance, so FixtureParityTest fails for an implementation that gets it wrong.
     */
    @Test
    void theSlidingWindowReallyCutsAndIsExactlyWKeys() throws IOException {
        try (Fixture f = Fixture.open("tiny-mistral-sw-fp32")) {
            float[] ref = f.floats("logits");
            for (Consumer<ObjectNode> wrong : List.<Consumer<ObjectNode>>of(c -> c.putNull("sliding_window"),
                    c -> c.put("sliding_window", 11))) {
                Path dir = variant("tiny-mistral-sw-fp32", wrong);
                try (LoadedModel m = LoadedModel.load(dir)) {
                    ForwardResult r = m.forward(f.batch(), List.of(), Transformer.Logits.ALL, HookSet.empty());
                    double moved = Assert.maxDiff(ref, r.logits());
                    assertTrue(moved > 1e-2, "a wrong window must move the logits, moved only " + moved);
                }
            }
            try (LoadedModel m = LoadedModel.load(f.dir())) {
                ForwardResult r = m.forward(f.batch(), List.of(), Transformer.Logits.ALL, HookSet.empty());
                assertTrue(Assert.maxDiff(ref, r.logits()) < 1e-4);
            }
        }
    }
}
