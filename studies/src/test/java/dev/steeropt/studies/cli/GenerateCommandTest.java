package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} and {@code activations} on the tiny-llama-fp32 fixture (shared/fixtures/models): greedy and
 * steered tokens equal the reference exactly; saved logits and hidden states within 1e-4 of the reference.
 */
class GenerateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path model;
    static JsonNode ref;
    static Path ids;
    static Path vector;

    @BeforeAll
    static void setUp() throws IOException {
        String shared = System.getProperty("steeropt.shared");
        model = Path.of(shared, "fixtures", "models", "tiny-llama-fp32");
        assertTrue(Files.isRegularFile(model.resolve("config.json")), "fixture missing: " + model);
        ref = JSON.readTree(model.resolve("reference/reference.json").toFile());
        ObjectNode batch = JSON.createObjectNode();
        batch.set("input_ids", ref.at("/batch/input_ids"));
        batch.set("attention_mask", ref.at("/batch/attention_mask"));
        ids = tmp.resolve("ids.json");
        JSON.writeValue(ids.toFile(), batch);
        float[] v;
        try (SafetensorsFile f = SafetensorsFile.open(model.resolve("reference/reference.safetensors"))) {
            v = f.readFloats("steer.vector");
        }
        vector = tmp.resolve("v.safetensors");
        new SafetensorsWriter().addFloats("vector", new long[] {v.length}, SafetensorsWriter.DType.F32, v).write(vector);
    }

    private static void assertRows(JsonNode expected, String json) throws IOException {
        JsonNode rows = JSON.readTree(json).get("rows");
        assertEquals(expected.size(), rows.size());
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(expected.get(r), rows.get(r).get("tokens"), "row " + r);
            assertEquals("length", rows.get(r).get("finish_reason").asText());
        }
    }

    @Test
    void greedyJsonTokensEqualReference() throws IOException {
        CliRun run = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--max-new-tokens", "12",
                "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        assertRows(ref.at("/greedy/tokens"), run.out());
    }

    @Test
    void steeredTokensEqualReferenceInBothPositionModes() throws IOException {
        for (String[] mode : new String[][] {{"all", "/steering/all_positions/tokens"}, {"generated", "/steering/generated_only/tokens"}}) {
            CliRun run = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--max-new-tokens", "12",
                    "--steer-vector", vector.toString(), "--layer", "1", "--alpha", "8", "--positions", mode[0], "--format", "json");
            assertEquals(0, run.exitCode(), run.err());
            assertRows(ref.at(mode[1]), run.out());
        }
    }

    @Test
    void textPromptIsTokenisedAndDecoded() {
        CliRun run = CliRun.of("generate", "--model", model.toString(), "--prompt", "Hello world", "--max-new-tokens", "5");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.err().contains("generated 5 tokens"), run.err());
    }

    @Test
    void activationsFileMatchesReference() {
        Path out = tmp.resolve("acts.safetensors");
        CliRun run = CliRun.of("activations", "--model", model.toString(), "--input-ids", ids.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (SafetensorsFile got = SafetensorsFile.open(out);
                SafetensorsFile exp = SafetensorsFile.open(model.resolve("reference/reference.safetensors"))) {
            assertClose(exp.readFloats("logits"), got.readFloats("logits"), 1e-4, "logits");
            float[] layers = exp.readFloats("hidden.layers");
            int per = 3 * 33 * 64;
            for (int i = 0; i < 4; i++) {
                float[] want = java.util.Arrays.copyOfRange(layers, i * per, (i + 1) * per);
                assertClose(want, got.readFloats("blocks." + i + ".hook_resid_post"), 1e-4, "layer " + i);
            }
            assertEquals(java.util.List.of(3L, 33L, 512L), java.util.Arrays.stream(got.info("logits").shape()).boxed().toList());
        }
    }

    @Test
    void dacIsReachableAndItsJsonShowsTheTracePerToken() throws IOException {
        CliRun run = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--max-new-tokens", "6",
                "--steer-vector", vector.toString(), "--layer", "1", "--method", "dac", "--alpha-max", "8", "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode rows = JSON.readTree(run.out()).get("rows");
        assertEquals(3, rows.size());
        boolean steered = false;
        for (JsonNode r : rows) {
            int n = r.get("tokens").size();
            for (String key : new String[] {"d_t", "alpha_t", "nucleus_size"}) {
                assertEquals(n, r.at("/dac/" + key).size(), key + ": one entry per generated token in " + r);
            }
            for (JsonNode a : r.at("/dac/alpha_t")) {
                assertTrue(a.asDouble() >= 0 && a.asDouble() <= 8, r.toString());
                steered |= a.asDouble() > 0;
            }
        }
        assertTrue(steered, "DAC at alpha_max 8 must steer somewhere: " + run.out());
        CliRun plain = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--max-new-tokens", "6",
                "--format", "json");
        assertFalse(plain.out().contains("\"dac\""), plain.out());
        CliRun narrow = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--max-new-tokens", "6",
                "--steer-vector", vector.toString(), "--layer", "1", "--method", "dac", "--alpha-max", "8", "--dac-top-p", "0.5",
                "--format", "json");
        assertEquals(0, narrow.exitCode(), narrow.err());
        assertFalse(JSON.readTree(narrow.out()).at("/rows/0/dac/nucleus_size").equals(rows.get(0).at("/dac/nucleus_size")),
                "--dac-top-p reaches DAC");
    }

    @Test
    void dacOptionsThatDoNotGoTogetherAreOneErrorLine() {
        String[][] bad = {
            {"--steer-vector", vector.toString(), "--layer", "1", "--alpha", "2", "--alpha-max", "3"},
            {"--steer-vector", vector.toString(), "--layer", "1", "--alpha", "2", "--dac-top-p", "0.9"},
            {"--method", "dac", "--steer-vector", vector.toString(), "--layer", "1", "--alpha", "2"},
            {"--method", "dac", "--steer-vector", vector.toString(), "--layer", "1", "--alpha-max", "2", "--positions", "all"},
            {"--method", "dac", "--layer", "1", "--alpha-max", "2"},
            {"--method", "dac", "--steer-vector", vector.toString(), "--layer", "1", "--alpha-max", "-1"},
            {"--method", "dac", "--steer-vector", vector.toString(), "--layer", "1", "--alpha-max", "1", "--dac-top-p", "1.5"},
            {"--method", "xyz"},
        };
        for (String[] extra : bad) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("generate", "--model", model.toString(),
                    "--input-ids", ids.toString()));
            args.addAll(java.util.List.of(extra));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), String.join(" ", extra) + "\n" + run.err());
            assertTrue(run.err().startsWith("Error: ") && run.err().lines().count() == 1, String.join(" ", extra) + "\n" + run.err());
        }
    }

    @Test
    void generateAndActivationsDefaultToTheDemoModel() {
        CliRun run = CliRun.of("generate", "--prompt", "Question: What is 2 plus 3?\nAnswer:", "--max-new-tokens", "4");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count(), run.out());
        CliRun hasty = CliRun.of("generate", "--model", "demo-hasty", "--prompt",
                "Question: What is 2 plus 3?\nAnswer:", "--max-new-tokens", "4");
        assertEquals(0, hasty.exitCode(), hasty.err());
        assertEquals(hasty.out(), run.out(), "the default model is demo-hasty (greedy: same tokens)");
        Path out = tmp.resolve("demo-acts.safetensors");
        CliRun acts = CliRun.of("activations", "--prompt", "Question: 1 + 1?\nAnswer:", "--out", out.toString());
        assertEquals(0, acts.exitCode(), acts.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertTrue(f.tensors().containsKey("blocks.3.hook_resid_post"), f.tensors().keySet().toString());
        }
    }

    @Test
    void badInputsGiveOneLineErrorsAndExitCode2() {
        CliRun missing = CliRun.of("generate", "--model", tmp.resolve("nope").toString(), "--input-ids", ids.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("Model folder '" + tmp.resolve("nope") + "' does not exist")
                && !missing.err().contains("\tat "), missing.err());

        CliRun partial = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--alpha", "2");
        assertEquals(2, partial.exitCode());
        assertTrue(partial.err().contains("--steer-vector, --layer and --alpha together"), partial.err());

        CliRun badLayer = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--steer-vector",
                vector.toString(), "--layer", "9", "--alpha", "2");
        assertEquals(2, badLayer.exitCode());
        assertTrue(badLayer.err().contains("--layer 9 is out of range"), badLayer.err());

        CliRun bf16 = CliRun.of("generate", "--model", model.toString(), "--input-ids", ids.toString(), "--dtype", "bfloat16");
        assertEquals(2, bf16.exitCode());
        assertTrue(bf16.err().contains("bfloat16"), bf16.err());
    }

    private static void assertClose(float[] a, float[] b, double atol, String what) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > atol) {
                throw new AssertionError(what + " index " + i + ": expected " + a[i] + ", got " + b[i]);
            }
        }
    }
}
