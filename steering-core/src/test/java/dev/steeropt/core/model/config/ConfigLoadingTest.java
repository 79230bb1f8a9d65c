package dev.steeropt.core.model.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.arch.ArchitectureRegistry;
import dev.steeropt.core.runtime.ComputeDtype;
import dev.steeropt.core.runtime.LoadOptions;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.testing.Fixture;
import dev.steeropt.core.testing.TestSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json variants (v4/v5 keys, defaults) and the load errors for unsupported or broken folders. */
class ConfigLoadingTest {
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

    @Test
    void fixtureConfigsResolve() {
        ModelConfig llama = parse(Fixture.modelDir("tiny-llama3-ropescaling"));
        assertEquals(RopeConfig.Type.LLAMA3, llama.rope().type());
        assertEquals(16, llama.headDim());
        assertEquals(2, llama.numKvHeads());
        ModelConfig qwen = parse(Fixture.modelDir("tiny-qwen2-fp32"));
        assertTrue(qwen.tieWordEmbeddings() && qwen.attentionBias());
        assertEquals(1e6, qwen.rope().theta());
        ModelConfig gpt2 = parse(Fixture.modelDir("tiny-gpt2-fp32"));
        assertEquals(256, gpt2.intermediateSize(), "n_inner null -> 4 * n_embd");
        assertEquals(64, gpt2.maxPositions());
    }

    @Test
    void llama3InverseFrequenciesMatchReference() throws IOException {
        try (Fixture f = Fixture.open("tiny-llama3-ropescaling")) {
            double[] expected = JSON.convertValue(f.json().at("/rope/inv_freq"), double[].class);
            double[] got = parse(f.dir()).rope().inverseFrequencies(16);
            assertArrayEquals(expected, got, 1e-12);
        }
    }

    @Test
    void transformersV5KeysGiveTheSameConfig() throws IOException {
        Path v5 = variant("tiny-llama3-ropescaling", c -> {
            ObjectNode rp = c.putObject("rope_parameters");
            rp.setAll((ObjectNode) c.get("rope_scaling"));
            rp.put("rope_theta", c.get("rope_theta").asDouble());
            c.remove("rope_scaling");
            c.remove("rope_theta");
            c.put("dtype", c.get("torch_dtype").asText());
            c.remove("torch_dtype");
        });
        ModelConfig a = parse(Fixture.modelDir("tiny-llama3-ropescaling"));
        ModelConfig b = parse(v5);
        assertEquals(a.rope(), b.rope());
        assertEquals("float32", b.storedDtype());
        assertArrayEquals(a.rope().inverseFrequencies(16), b.rope().inverseFrequencies(16), 0);
    }

    @Test
    void olderTypeAliasOfRopeTypeIsAccepted() throws IOException {
        Path dir = variant("tiny-llama3-ropescaling", c -> {
            ObjectNode rs = (ObjectNode) c.get("rope_scaling");
            rs.put("type", rs.get("rope_type").asText());
            rs.remove("rope_type");
        });
        assertEquals(RopeConfig.Type.LLAMA3, parse(dir).rope().type());
    }

    @Test
    void absentHeadDimAndKvHeadsTakeTheirDefaults() throws IOException {
        Path dir = variant("tiny-llama-fp32", c -> {
            c.putNull("head_dim");
            c.remove("num_key_value_heads");
        });
        ModelConfig cfg = parse(dir);
        assertEquals(64 / 4, cfg.headDim());
        assertEquals(4, cfg.numKvHeads());
    }

    @Test
    void unknownRopeTypeIsAnErrorNamingItAndTheSupportedOnes() throws IOException {
        Path dir = variant("tiny-llama3-ropescaling", c -> ((ObjectNode) c.get("rope_scaling")).put("rope_type", "yarn"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir));
        assertTrue(e.getMessage().contains("\"yarn\"") && e.getMessage().contains("supported: default, linear, llama3"), e.getMessage());
    }

    @Test
    void slidingWindowInUseIsRejected() throws IOException {
        Path qwen = variant("tiny-qwen2-fp32", c -> c.put("use_sliding_window", true));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(qwen));
        assertTrue(e.getMessage().contains("use_sliding_window is true"), e.getMessage());
        Path mistral = variant("tiny-llama-fp32", c -> {
            c.put("model_type", "mistral");
            c.put("sliding_window", 32);
        });
        assertEquals(java.util.Collections.nCopies(4, 32), parse(mistral).details().slidingWindows(),
                "a numeric Mistral sliding_window applies to every layer");
        Path llamaWindow = variant("tiny-llama-fp32", c -> c.put("sliding_window", 32));
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> LoadedModel.load(llamaWindow));
        assertTrue(e2.getMessage().contains("sliding_window is 32"), e2.getMessage());
        Path mistralNoWindow = variant("tiny-llama-fp32", c -> {
            c.put("model_type", "mistral");
            c.putNull("sliding_window");
        });
        assertEquals("mistral", parse(mistralNoWindow).modelType());
        Path qwenIgnored = variant("tiny-qwen2-fp32", c -> c.put("sliding_window", 4));
        assertEquals("qwen2", parse(qwenIgnored).modelType(), "sliding_window is ignored while use_sliding_window is false");
    }

    @Test
    void unknownArchitectureIsRejectedByName() throws IOException {
        Path dir = variant("tiny-llama-fp32", c -> c.put("model_type", "falcon"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir));
        assertTrue(e.getMessage().contains("model_type \"falcon\" is not supported (supported: gemma2, gemma3_text, gpt2, gpt_neox, llama, mistral, olmo2, phi3, qwen2, qwen3)"),
                e.getMessage());
    }

    @Test
    void missingDirectoryConfigAndTensorHaveDistinctMessages() throws IOException {
        Path none = tmp.resolve("no-such-model");
        ModelLoadException e1 = assertThrows(ModelLoadException.class, () -> LoadedModel.load(none));
        assertTrue(e1.getMessage().contains("the directory does not exist"), e1.getMessage());

        Path noConfig = Files.createDirectories(tmp.resolve("no-config"));
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> LoadedModel.load(noConfig));
        assertTrue(e2.getMessage().contains("config.json is missing"), e2.getMessage());

        Path noTensor = variant("tiny-llama-fp32", c -> { });
        TestSafetensors.copyWithout(Fixture.modelDir("tiny-llama-fp32").resolve("model.safetensors"),
                noTensor.resolve("model.safetensors"), "model.layers.2.mlp.up_proj.weight");
        ModelLoadException e3 = assertThrows(ModelLoadException.class, () -> LoadedModel.load(noTensor));
        assertTrue(e3.getMessage().contains("tensor model.layers.2.mlp.up_proj.weight is missing"), e3.getMessage());

        Path noWeights = variant("tiny-llama-fp32", c -> { });
        Files.delete(noWeights.resolve("model.safetensors"));
        ModelLoadException e4 = assertThrows(ModelLoadException.class, () -> LoadedModel.load(noWeights));
        assertTrue(e4.getMessage().contains("neither model.safetensors nor model.safetensors.index.json"), e4.getMessage());
    }

    @Test
    void shapeMismatchBetweenConfigAndWeightsIsReported() throws IOException {
        Path dir = variant("tiny-llama-fp32", c -> c.put("intermediate_size", 96));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir));
        assertTrue(e.getMessage().contains("has shape [128, 64] but the config implies [96, 64]"), e.getMessage());
    }

    @Test
    void missingShardIsReported() throws IOException {
        Path dir = variant("tiny-llama-sharded", c -> { });
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.load(dir));
        assertTrue(e.getMessage().contains("shard model-00002-of-00002.safetensors listed in model.safetensors.index.json does not exist"),
                e.getMessage());
    }

    @Test
    void bfloat16ComputeIsRefusedWithTheAlternative() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LoadedModel.load(Fixture.modelDir("tiny-llama-fp32"), LoadOptions.defaults().withDtype(ComputeDtype.BFLOAT16)));
        assertTrue(e.getMessage().contains("use --dtype float32"), e.getMessage());
    }
}
