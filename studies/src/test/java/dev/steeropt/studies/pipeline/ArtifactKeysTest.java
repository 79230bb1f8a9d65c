package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.steering.ControlVectorGguf;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.studies.artifacts.Artifacts;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the key names, their order and the JSON types of their values in the artifacts of one small real
 * {@code optimize} run (the tiny fixture model, {@link OptimizeRuns}' 4/4/4 items, 2 trials, layers 1-3), so that renaming,
 * dropping, moving or retyping a key fails here: other issues and users' scripts read {@code best_configuration.json},
 * {@code final_results.json}, {@code manifest.json} and the study's {@code steeropt:test_evaluation} attribute.
 *
 * <p>Each expected line is {@code path type}; {@code []} stands for every element of an array (all elements must have
 * the same shape), and a type such as {@code string|null} lets a value be either. The entries of maps whose keys depend
 * on the run (trial params and user attributes, the candidate layers) are checked as sets beside the shape.
 */
class ArtifactKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Nullable leaves, and leaves that may also be the string "NaN" (a layer whose residual norm was not recorded). */
    private static final Map<String, String> EITHER = Map.ofEntries(
            Map.entry("$.test.minimum_detectable_effect", "number|null"),
            Map.entry("$.minimum_detectable_effect", "number|null"),
            Map.entry("$.items[].baseline.extracted", "string|null"),
            Map.entry("$.items[].best.extracted", "string|null"),
            Map.entry("$.items[].greedy_baseline.extracted", "string|null"),
            Map.entry("$.git_commit", "string|null"),
            Map.entry("$.control_vector.file", "string|null"),
            Map.entry("$.control_vector.scale", "number|null"),
            Map.entry("$.control_vector.llama_cpp_args", "string|null"),
            Map.entry("$.steering_vector_norms.*.mean_residual_norm", "number|string"));

    @TempDir
    static Path tmp;
    private static Path out;
    private static CliRun run;

    @BeforeAll
    static void optimize() throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        out = tmp.resolve("out");
        // CAA only (OptimizeRuns), layers 1-3: every trial has a llama.cpp control-vector form
        run = CliRun.of(OptimizeRuns.args(data, "sqlite:///" + out.resolve("study.db"), out, "keys", 2, 4, "--layers",
                "1-3").toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
    }

    private static final List<String> ARM = List.of(
            "object", ".params object", ".flexible_accuracy number", ".flexible_ci95 array", ".flexible_ci95[] number",
            ".strict_accuracy number", ".strict_ci95 array", ".strict_ci95[] number", ".correct int",
            ".mean_generated_tokens number");

    private static List<String> test(String at) {
        List<String> s = new ArrayList<>(List.of(at + ".metric string", at + ".n_items int"));
        ARM.forEach(l -> s.add(at + ".baseline" + (l.startsWith(".") ? l : " " + l)));
        ARM.forEach(l -> s.add(at + ".best" + (l.startsWith(".") ? l : " " + l)));
        ARM.forEach(l -> s.add(at + ".greedy_baseline" + (l.startsWith(".") ? l : " " + l)));
        s.add(at + ".baseline_kind string");
        s.addAll(List.of(at + ".mcnemar object", at + ".mcnemar.b_baseline_only int", at + ".mcnemar.c_best_only int",
                at + ".mcnemar.p_value number", at + ".gain object", at + ".gain.observed number", at + ".gain.ci95 array",
                at + ".gain.ci95[] number", at + ".gain.resamples int", at + ".gain.seed int",
                at + ".minimum_detectable_effect number|null", at + ".seconds number"));
        return s;
    }

    private static List<String> splits() {
        List<String> s = new ArrayList<>(List.of("$.splits object"));
        for (String name : List.of("train", "validation", "test")) {
            s.addAll(List.of("$.splits." + name + " object", "$.splits." + name + ".n int",
                    "$.splits." + name + ".ids_sha256 string", "$.splits." + name + ".ids array",
                    "$.splits." + name + ".ids[] string"));
        }
        return s;
    }

    @Test
    void bestConfigurationKeys() throws Exception {
        JsonNode best = read("best_configuration.json");
        assertEquals(List.of("$ object", "$.study string", "$.trial int", "$.params object",
                "$.validation_flexible_accuracy number", "$.user_attrs object", "$.steer_positions string",
                "$.alpha_units string", "$.pair_builder string", "$.hook_point string", "$.control_vector object",
                "$.control_vector.file string|null", "$.control_vector.layer int", "$.control_vector.scale number|null",
                "$.control_vector.llama_cpp_args string|null", "$.control_vector.note string",
                "$.vector_source object", "$.vector_source.kind string"),
                shape(best, Set.of("$.params", "$.user_attrs")));
        assertEquals(List.of("layer", "alpha", "method", "temperature"), keys(best.get("params")));
        assertTrue(keys(best.get("user_attrs")).containsAll(List.of("items_graded", "strict_accuracy",
                "flexible_accuracy", "mean_generated_tokens", "seconds", "seconds_per_item")), best.toString());
    }

    /**
     * The best trial (CAA, layer 1-3) leaves {@code best_control_vector.gguf}: read back, its one direction is at
     * the best layer, d_model long, and one α unit long (the layer's mean residual norm in the manifest); the stated
     * scale is the trial's α, and stdout says how to load it.
     */
    @Test
    void theBestCaaConfigurationIsALlamaCppControlVector() throws Exception {
        JsonNode best = read("best_configuration.json");
        JsonNode cv = best.get("control_vector");
        int layer = best.get("params").get("layer").asInt();
        assertEquals(layer, cv.get("layer").asInt());
        Path file = out.resolve(ControlVectorExport.FILE);
        assertEquals("CAA", best.get("params").get("method").asText());
        assertEquals(ControlVectorExport.FILE, cv.get("file").asText());
        assertEquals(best.get("params").get("alpha").asDouble(), cv.get("scale").asDouble(), 0.0);
        ControlVectorGguf.Contents c = ControlVectorGguf.read(file);
        assertEquals(List.of(layer), List.copyOf(c.directions().keySet()));
        float[] d = c.directions().get(layer);
        assertEquals(JSON.readTree(TinyModel.dir().resolve("config.json").toFile()).get("hidden_size").asInt(), d.length);
        double norm = 0;
        for (float x : d) {
            norm += (double) x * x;
        }
        double unit = read("manifest.json").get("steering_vector_norms").get("" + layer).get("mean_residual_norm")
                .asDouble();
        assertEquals(unit, Math.sqrt(norm), 1e-5 * unit, "direction." + layer + " is one unit of alpha");
        assertTrue(run.out().contains("--control-vector-scaled " + file), run.out());
    }

    /**
     * {@value Artifacts#VECTORS} holds the vectors the run used: one per candidate layer (1-3), with the norms the
     * manifest records, and the default source {@code contrast} in both records.
     */
    @Test
    void theRunLeavesTheSteeringVectorsItUsed() throws Exception {
        var used = dev.steeropt.studies.analysis.directions.DirectionSet.read(out.resolve(Artifacts.VECTORS));
        assertEquals(List.of(1, 2, 3), used.layers());
        JsonNode norms = read("manifest.json").get("steering_vector_norms");
        for (int layer : used.layers()) {
            double n = 0;
            for (float x : used.directions().get(layer)) {
                n += (double) x * x;
            }
            assertEquals(norms.get("" + layer).get("vector_norm").asDouble(), Math.sqrt(n), 1e-6 * Math.sqrt(n));
        }
        assertEquals("contrast", read("manifest.json").get("steering_vector_source").get("kind").asText());
        assertEquals("contrast", read("best_configuration.json").get("vector_source").get("kind").asText());
    }

    @Test
    void finalResultsKeys() throws Exception {
        List<String> expected = new ArrayList<>(List.of("$ object", "$.study string", "$.best_trial int"));
        expected.addAll(splits());
        expected.add("$.test object");
        expected.addAll(test("$.test"));
        expected.addAll(List.of("$.items array", "$.items[] object", "$.items[].id string"));
        for (String arm : List.of("baseline", "best", "greedy_baseline")) {
            String p = "$.items[]." + arm;
            expected.addAll(List.of(p + " object", p + ".strict boolean", p + ".flexible boolean",
                    p + ".extracted string|null", p + ".tokens int", p + ".completion string"));
        }
        JsonNode fin = read("final_results.json");
        assertEquals(expected, shape(fin, Set.of("$.test.baseline.params", "$.test.best.params", "$.test.greedy_baseline.params")));
        assertEquals(4, fin.get("items").size());
    }

    @Test
    void manifestKeys() throws Exception {
        List<String> expected = new ArrayList<>(List.of("$ object", "$.created string", "$.git_commit string|null",
                "$.model_sha256 string", "$.data_sha256 string", "$.seeds object", "$.seeds.study int",
                "$.seeds.splits int", "$.seeds.bootstrap int", "$.study string", "$.storage string", "$.model string",
                "$.data_source string", "$.prompt_variant object", "$.prompt_variant.name string",
                "$.prompt_variant.sha256 string"));
        expected.addAll(splits());
        expected.add("$.steering_vector_norms object");
        for (int layer = 1; layer < 4; layer++) {
            String p = "$.steering_vector_norms." + layer;
            expected.addAll(List.of(p + " object", p + ".vector_norm number", p + ".mean_residual_norm number|string"));
        }
        expected.addAll(List.of("$.steering_vector_source object", "$.steering_vector_source.kind string"));
        expected.addAll(List.of("$.libraries object", "$.libraries.steeropt string", "$.libraries.djl string",
                "$.libraries.pytorch string", "$.libraries.jackson string", "$.libraries.picocli string",
                "$.libraries.sqlite_jdbc string", "$.libraries.postgresql_jdbc string", "$.environment object",
                "$.environment.java string", "$.environment.os string", "$.environment.cpu_count int",
                "$.environment.max_heap_bytes int"));
        assertEquals(expected, shape(read("manifest.json"), Set.of()));
    }

    @Test
    void recordedTestEvaluationKeys() {
        Object attr;
        try (TrialStore store = TrialStores.open("sqlite:///" + out.resolve("study.db"), StoreOptions.DEFAULTS)) {
            attr = store.getStudySystemAttrs(store.findStudyId("keys").orElseThrow()).get(StudyManager.TEST_ATTR);
        }
        List<String> expected = new ArrayList<>(List.of("$ object"));
        expected.addAll(test("$"));
        expected.addAll(List.of("$.at string", "$.best_trial int", "$.retest boolean"));
        assertEquals(expected, shape(JSON.valueToTree(attr), Set.of("$.baseline.params", "$.best.params", "$.greedy_baseline.params")));
    }

    /**
     * The run names its output directory in the study (for {@code serve}'s artifacts) and leaves the history,
     * intermediate-values, importance and per-parameter slice plots there, each a PNG.
     */
    @Test
    void theRunLeavesItsPlotsAndNamesItsDirectoryInTheStudy() throws Exception {
        Object dir;
        try (TrialStore store = TrialStores.open("sqlite:///" + out.resolve("study.db"), StoreOptions.DEFAULTS)) {
            dir = store.getStudySystemAttrs(store.findStudyId("keys").orElseThrow()).get(Artifacts.DIR_ATTR);
        }
        assertEquals(out.toAbsolutePath().toString(), dir);
        List<String> expected = new ArrayList<>(List.of("history.png", "importance.png", "intermediate.png"));
        for (String p : keys(read("best_configuration.json").get("params"))) {
            expected.add("slice_" + p + ".png");
        }
        List<String> plots;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(out.resolve("plots"))) {
            plots = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(expected.stream().sorted().toList(), plots);
        for (String f : plots) {
            javax.imageio.ImageIO.read(out.resolve("plots").resolve(f).toFile()).getWidth();
        }
    }

    static JsonNode read(String name) throws Exception {
        return JSON.readTree(out.resolve(name).toFile());
    }

    private static List<String> keys(JsonNode object) {
        List<String> k = new ArrayList<>();
        object.fieldNames().forEachRemaining(k::add);
        return k;
    }

    /** One {@code path type} line per node, depth first in key order; {@code opaque} objects are not entered. */
    static List<String> shape(JsonNode node, Set<String> opaque) {
        List<String> lines = new ArrayList<>();
        shape("$", node, opaque, lines);
        return lines;
    }

    private static void shape(String path, JsonNode node, Set<String> opaque, List<String> lines) {
        lines.add(path + " " + type(path, node));
        if (node.isObject() && !opaque.contains(path)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                shape(path + "." + e.getKey(), e.getValue(), opaque, lines);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            List<String> first = null;
            for (JsonNode element : node) {
                List<String> s = new ArrayList<>();
                shape(path + "[]", element, opaque, s);
                if (first == null) {
                    first = s;
                } else {
                    assertEquals(first, s, "every element of " + path + " has the same shape");
                }
            }
            lines.addAll(first);
        }
    }

    private static String type(String path, JsonNode node) {
        String t = node.isObject() ? "object" : node.isArray() ? "array" : node.isTextual() ? "string"
                : node.isIntegralNumber() ? "int" : node.isNumber() ? "number" : node.isBoolean() ? "boolean"
                : node.isNull() ? "null" : node.getNodeType().toString();
        String either = EITHER.get(path.replaceAll("^\\$\\.steering_vector_norms\\.\\d+\\.", "\\$.steering_vector_norms.*."));
        return either != null && Set.of(either.split("\\|")).contains(t) ? either : t;
    }
}
