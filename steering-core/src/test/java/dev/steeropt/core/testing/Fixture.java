package dev.steeropt.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.runtime.PromptBatch;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One tiny fixture model from {@code src/test/resources/models/<name>} with its {@code reference/} outputs. A missing
 * fixture fails the test.
 */
public final class Fixture implements AutoCloseable {
    /** The six fixture models. */
    public static final List<String> MODELS = List.of("tiny-llama-fp32", "tiny-llama-bf16", "tiny-llama-sharded",
            "tiny-llama3-ropescaling", "tiny-qwen2-fp32", "tiny-gpt2-fp32");

    /** The seven fixture models of the newer architectures (README "Newer architectures"), references by transformers. */
    public static final List<String> NEWER = List.of("tiny-qwen3-fp32", "tiny-gemma2-fp32", "tiny-gemma3-fp32", "tiny-phi3-fp32",
            "tiny-olmo2-fp32", "tiny-mistral-sw-fp32", "tiny-gptneox-fp32");

    /** All thirteen fixture models. */
    public static final List<String> ALL = java.util.stream.Stream.concat(MODELS.stream(), NEWER.stream()).toList();

    private final String name;
    private final Path dir;
    private final JsonNode json;
    private final SafetensorsFile tensors;

    private Fixture(String name, Path dir, JsonNode json, SafetensorsFile tensors) {
        this.name = name;
        this.dir = dir;
        this.json = json;
        this.tensors = tensors;
    }

    /** Opens a fixture by folder name. */
    public static Fixture open(String name) {
        Path dir = modelDir(name);
        Path refJson = dir.resolve("reference/reference.json");
        assertTrue(Files.isRegularFile(refJson), "fixture file missing: " + refJson);
        try {
            return new Fixture(name, dir, new ObjectMapper().readTree(refJson.toFile()),
                    SafetensorsFile.open(dir.resolve("reference/reference.safetensors")));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + refJson, e);
        }
    }

    /** The folder of a fixture model in the test resources. */
    public static Path modelDir(String name) {
        URL url = Fixture.class.getResource("/models/" + name + "/config.json");
        if (url == null) {
            fail("fixture model " + name + " is missing from src/test/resources/models");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The shared stories260K folder, from the steeropt.shared system property. */
    public static Path stories260K() {
        String shared = System.getProperty("steeropt.shared");
        if (shared == null) {
            fail("system property steeropt.shared is not set (the parent pom sets it to ../shared)");
        }
        Path dir = Path.of(shared, "models", "stories260K");
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")), "stories260K fixture missing at " + dir);
        return dir;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public JsonNode json() {
        return json;
    }

    public int layers() {
        return json.get("num_hidden_layers").asInt();
    }

    public int hidden() {
        return json.get("hidden_size").asInt();
    }

    public int vocab() {
        return json.get("vocab_size").asInt();
    }

    /** The reference batch. */
    public PromptBatch batch() {
        return PromptBatch.of(ints2(json.at("/batch/input_ids")), ints2(json.at("/batch/attention_mask")));
    }

    /** The unpadded prompts. */
    public int[][] prompts() {
        return ints2(json.at("/batch/prompts"));
    }

    /** Tokens at a JSON pointer, e.g. {@code /greedy/tokens}. */
    public int[][] tokens(String pointer) {
        return ints2(json.at(pointer));
    }

    public int steerLayer() {
        return json.at("/steering/layer").asInt();
    }

    public float steerAlpha() {
        return (float) json.at("/steering/alpha").asDouble();
    }

    public float[] steerVector() {
        return tensors.readFloats("steer.vector");
    }

    /** A float tensor of reference.safetensors. */
    public float[] floats(String tensor) {
        return tensors.readFloats(tensor);
    }

    public static int[][] ints2(JsonNode n) {
        int[][] out = new int[n.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = n.get(i);
            out[i] = new int[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = row.get(j).asInt();
            }
        }
        return out;
    }

    @Override
    public void close() {
        tensors.close();
    }
}
