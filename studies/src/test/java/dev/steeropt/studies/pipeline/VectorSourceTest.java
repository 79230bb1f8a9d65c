package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.analysis.directions.DirectionSet;
import dev.steeropt.studies.artifacts.Artifacts;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.spec.VectorSourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimize --vector-source} on the embedded demo pair: the cross-model vectors the study uses (its
 * {@value Artifacts#VECTORS}) equal what {@code analyze directions --versus} writes for the same pair and train
 * prompts bit for bit, and the run records its source; a directory's directions are used exactly as stored; sources
 * that cannot work are refused with one {@code Error:} line and exit 2, before any study exists.
 */
class VectorSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 12 train prompts (seed 5) as in {@code DirectionsCommandTest}; tiny validation and test, two trials. */
    private static final List<String> SMALL = List.of("--mode", "debug", "--train-size", "12", "--val-size", "4",
            "--test-size", "4", "--seed", "5", "--n-trials", "2", "--chunks", "1", "--max-new-tokens", "24");

    @TempDir
    static Path tmp;
    private static Path hasty;
    private static String hastyFingerprint;

    @BeforeAll
    static void models() {
        hasty = DemoModel.byName("demo-hasty").orElseThrow().directory();
        hastyFingerprint = Fingerprints.model(hasty);
    }

    private static CliRun optimize(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("optimize", "--model", "demo-hasty", "--data-dir",
                tmp.resolve("no-data").toString(), "--study-name", name, "--output-dir", tmp.resolve(name).toString()));
        args.addAll(SMALL);
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Catches: B minus A, CAA pair vectors instead of residual means, other prompts or layers, a lost record. */
    @Test
    void crossModelVectorsAreTheDirectionsOfAnalyzeDirectionsAndTheRunRecordsThem() throws Exception {
        Path dirs = tmp.resolve("dirs");
        CliRun analyze = CliRun.of("analyze", "directions", "--model", "demo-hasty", "--versus", "demo-careful",
                "--n-train", "12", "--n", "4", "--seed", "5", "--data-dir", tmp.resolve("no-data").toString(),
                "--out", dirs.toString());
        assertEquals(0, analyze.exitCode(), analyze.err());
        CliRun r = optimize("cross", "--vector-source", "cross-model", "--versus", "demo-careful");
        assertEquals(0, r.exitCode(), r.err());
        Path out = tmp.resolve("cross");

        DirectionSet expected = DirectionSet.read(dirs);
        DirectionSet used = DirectionSet.read(out.resolve(Artifacts.VECTORS));
        JsonNode manifest = JSON.readTree(out.resolve(Artifacts.MANIFEST).toFile());
        assertEquals(expected.metadata().get(DirectionSet.SPLIT_HASH),
                manifest.get("splits").get("train").get("ids_sha256").asText(), "the same train prompts");
        assertEquals(List.of(0, 1, 2, 3), used.layers());
        for (int l : used.layers()) {
            assertArrayEquals(expected.directions().get(l), used.directions().get(l), 0f, "layer " + l);
            assertEquals(expected.meanNorms().get(l), used.meanNorms().get(l), "layer " + l + " mean residual norm");
        }

        String careful = Fingerprints.model(DemoModel.byName("demo-careful").orElseThrow().directory());
        JsonNode best = JSON.readTree(out.resolve(Artifacts.BEST).toFile()).get("vector_source");
        assertEquals("cross_model", best.get("kind").asText(), best.toString());
        assertEquals(careful, best.get("source_sha256").asText());
        assertEquals(careful, manifest.get("steering_vector_source").get("source_sha256").asText());
        assertEquals("cross_model", JSON.readTree(out.resolve(Artifacts.CONFIG).toFile()).get("vector_source")
                .get("kind").asText());
    }

    /** Catches: a directory's directions recomputed, rescaled or taken from other layers. */
    @Test
    void aDirectoryIsUsedExactlyAsStored() throws Exception {
        DirectionSet stored = set(hastyFingerprint, 192);
        Path dir = Files.createDirectories(tmp.resolve("stored"));
        stored.write(dir);
        CliRun r = optimize("dir", "--vector-source", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        DirectionSet used = DirectionSet.read(tmp.resolve("dir").resolve(Artifacts.VECTORS));
        for (int l = 0; l < 4; l++) {
            assertArrayEquals(stored.directions().get(l), used.directions().get(l), 0f, "layer " + l);
            assertEquals(stored.meanNorms().get(l), used.meanNorms().get(l));
        }
        JsonNode best = JSON.readTree(tmp.resolve("dir").resolve(Artifacts.BEST).toFile()).get("vector_source");
        assertEquals("directory", best.get("kind").asText());
        assertEquals(Fingerprints.file(dir.resolve(DirectionSet.FILE)), best.get("source_sha256").asText());
    }

    @Test
    void aDirectoryOfAnotherModelOrShapeIsRefusedBeforeAnyStudyExists() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other-model"));
        set("0".repeat(64), 192).write(other);
        CliRun fp = optimize("refused-fp", "--vector-source", other.toString());
        assertEquals(2, fp.exitCode(), fp.err());
        String line = errorLine(fp);
        assertTrue(line.contains("were computed for another model (model_a_fingerprint 000000000000)")
                && line.contains("optimizes " + hasty) && line.contains(hastyFingerprint.substring(0, 12)), line);
        assertFalse(Files.exists(tmp.resolve("refused-fp").resolve("study.db")), "no study is created");

        Path narrow = Files.createDirectories(tmp.resolve("narrow"));
        set(hastyFingerprint, 10).write(narrow);
        CliRun shape = optimize("refused-shape", "--vector-source", narrow.toString());
        assertEquals(2, shape.exitCode(), shape.err());
        assertTrue(errorLine(shape).contains("direction has width 10, the model has 4 layers of width 192"),
                shape.err());

        CliRun missing = optimize("refused-missing", "--vector-source", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(errorLine(missing).contains("neither contrast, cross-model nor a directory holding"), missing.err());
        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        Files.writeString(corrupt.resolve(DirectionSet.FILE), "not a safetensors file");
        CliRun bad = optimize("refused-corrupt", "--vector-source", corrupt.toString());
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(errorLine(bad).contains("is not a valid direction file"), bad.err());
    }

    @Test
    void crossModelNeedsVersusOfTheSameShapeAndVersusNeedsCrossModel() {
        CliRun none = optimize("no-versus", "--vector-source", "cross-model");
        assertEquals(2, none.exitCode(), none.err());
        assertTrue(errorLine(none).startsWith("Error: --vector-source cross-model needs --versus B"), none.err());
        CliRun stray = optimize("stray-versus", "--versus", "demo-careful");
        assertEquals(2, stray.exitCode(), stray.err());
        assertTrue(errorLine(stray).startsWith("Error: --versus demo-careful given with --vector-source contrast"),
                stray.err());
        Path tiny = Path.of("../steering-core/src/test/resources/models/tiny-llama-fp32").toAbsolutePath();
        CliRun shape = optimize("tiny-versus", "--vector-source", "cross-model", "--versus", tiny.toString());
        assertEquals(2, shape.exitCode(), shape.err());
        assertTrue(errorLine(shape).contains("(4 layers, width 192) and ") && shape.err().contains("differ in shape"),
                shape.err());
        assertFalse(Files.exists(tmp.resolve("tiny-versus").resolve("study.db")), "no study is created");
        CliRun self = optimize("self-versus", "--vector-source", "cross-model", "--versus", "demo-hasty");
        assertEquals(2, self.exitCode(), self.err());
        assertTrue(errorLine(self).contains("is the model being optimized"), self.err());
    }

    /** Catches: cross-model reads that bypass the cache (recomputed by every run and worker) or are served stale. */
    @Test
    void crossModelReadsGoThroughTheActivationCache() {
        Path carefulDir = DemoModel.byName("demo-careful").orElseThrow().directory();
        VectorSourceSpec spec = VectorSourceSpec.crossModel(carefulDir.toString(), Fingerprints.model(carefulDir));
        List<int[]> prompts = List.of(new int[] {1, 5, 9, 14}, new int[] {1, 7, 8}, new int[] {1, 3, 3, 8, 21});
        List<Integer> layers = List.of(1, 2);
        ActivationStore cache = ActivationStore.open(tmp.resolve("cross-cache"), 1L << 30);
        try (LoadedModel a = LoadedModel.load(hasty); Tokenizer ta = Tokenizer.load(hasty);
                VectorSource source = VectorSource.open(spec, a, ta, "demo-hasty", hastyFingerprint, layers)) {
            AtomicInteger forwardsOfA = new AtomicInteger();
            LayerVectors first;
            LayerVectors again;
            LayerVectors otherPrompts;
            try (HookHandle h = a.hooks().add(HookPoint.embed(), (x, ctx) -> {
                forwardsOfA.incrementAndGet();
                return x;
            })) {
                first = source.vectors(a, hastyFingerprint, layers, prompts, "split", "variant", 0, cache, null);
                assertEquals(1, forwardsOfA.getAndSet(0), "a miss reads A's prompts in one forward");
                again = source.vectors(a, hastyFingerprint, layers, prompts, "split", "variant", 0, cache, null);
                assertEquals(0, forwardsOfA.getAndSet(0), "a repeat reads nothing");
                otherPrompts = source.vectors(a, hastyFingerprint, layers, prompts.subList(0, 2), "split", "variant", 0,
                        cache, null);
                assertEquals(1, forwardsOfA.get(), "other token ids are another key");
            }
            for (int l : layers) {
                assertArrayEquals(first.get(l).values(), again.get(l).values(), 0f);
                assertFalse(java.util.Arrays.equals(first.get(l).values(), otherPrompts.get(l).values()));
            }
        }
    }

    /** Random directions for layers 0-3 of the given width, recorded as computed for {@code fingerprint}. */
    private static DirectionSet set(String fingerprint, int width) {
        Random rnd = new Random(11);
        Map<Integer, float[]> dirs = new TreeMap<>();
        Map<Integer, Double> norms = new TreeMap<>();
        for (int l = 0; l < 4; l++) {
            float[] v = new float[width];
            for (int i = 0; i < width; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            dirs.put(l, v);
            norms.put(l, 3.0 + l);
        }
        return new DirectionSet(dirs, norms, Map.of(DirectionSet.KIND, "cross_model", DirectionSet.MODEL_A,
                fingerprint));
    }

    /** The one {@code Error:} line of a failed run. */
    private static String errorLine(CliRun r) {
        List<String> lines = r.err().lines().filter(l -> l.startsWith("Error:")).toList();
        assertEquals(1, lines.size(), r.err());
        return lines.get(0);
    }
}
