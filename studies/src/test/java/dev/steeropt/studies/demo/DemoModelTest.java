package dev.steeropt.studies.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.core.train.CharVocabulary;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.synthetic.SyntheticGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo models committed under {@code src/main/resources}: extraction, loading through the ordinary runtime loader,
 * the tokenizer on generated problems, and a re-measurement of each model's manifest.
 *
 * <p>Tolerance of the re-measurement: every accuracy and mode share, per difficulty and overall, within
 * {@value #TOLERANCE_POINTS} percentage points of the manifest, i.e. at most {@code floor(0.03 n)} items of a cell of
 * {@code n} (0 of 30: exact; 3 of 120 overall). The items, their order, the batches of
 * {@value DemoModelTraining#VALIDATION_BATCH} and greedy decoding are those of the validation pass that wrote the
 * manifest, on the same weights file, so the figures are expected to be reproduced exactly; the 3 points are the
 * issue's reproduction band, and leave room for an argmax tie broken differently by another CPU's kernels on larger
 * cells. Nothing here hard-codes a model's figures: they are read from its manifest.
 */
class DemoModelTest {
    /** Largest allowed difference between a re-measured rate and the manifest's, in percentage points. */
    static final double TOLERANCE_POINTS = 3.0;

    @TempDir
    static Path cache;

    static final Map<DemoModel, Path> DIRS = new EnumMap<>(DemoModel.class);
    /** Each model's greedy outcomes on its manifest's validation problems. */
    static final Map<DemoModel, List<DemoEvaluation.Outcome>> MEASURED = new EnumMap<>(DemoModel.class);

    @BeforeAll
    static void extractAndMeasure() {
        for (DemoModel m : DemoModel.values()) {
            Path dir = m.directory(cache);
            DIRS.put(m, dir);
            List<Problem> problems = DemoModelTraining.validationProblems(dir);
            int per = m.manifest().at("/validation/items_per_difficulty").asInt();
            assertEquals(SyntheticGenerator.MAX_DIFFICULTY * per, problems.size(), m + ": validation problems");
            MEASURED.put(m, DemoModelTraining.validate(dir, problems));
        }
    }

    @Test
    void wireNamesAreTheDemoWorldsDirectoryNames() {
        assertEquals(List.of(DemoWorld.CAREFUL, DemoWorld.HASTY), DemoModel.names());
        assertEquals(DemoModel.DEFAULT.wireName(), DemoModel.DEFAULT_NAME);
        assertEquals(DemoModel.DEMO_HASTY, DemoModel.byName(" Demo-Hasty ").orElseThrow());
        assertTrue(DemoModel.byName("demo-xyz").isEmpty());
        for (String name : DemoModel.names()) {
            assertTrue(name.startsWith(DemoModel.PREFIX), name);
        }
    }

    @Test
    void eachExtractsOnceIntoANameAndShaNamedDirectory() throws IOException {
        for (DemoModel m : DemoModel.values()) {
            Path dir = DIRS.get(m);
            JsonNode manifest = new ObjectMapper().readTree(dir.resolve(DemoModelTraining.MANIFEST).toFile());
            String sha = manifest.get("weights_sha256").asText();
            assertEquals(cache.resolve(m.wireName() + "-" + sha.substring(0, 16)), dir);
            assertEquals(sha, m.manifestSha256());
            assertEquals(sha, DemoModelTraining.sha256(dir.resolve("model.safetensors")), m + ": weights vs manifest");
            for (String f : DemoModel.FILES) {
                assertTrue(Files.isRegularFile(dir.resolve(f)), m + ": " + f);
            }
            long modified = Files.getLastModifiedTime(dir.resolve("config.json")).toMillis();
            assertEquals(dir, m.directory(cache));
            assertEquals(modified, Files.getLastModifiedTime(dir.resolve("config.json")).toMillis(), "re-extracted");
            long size = Files.size(dir.resolve("model.safetensors"));
            assertTrue(size < 8L << 20, m + ": model.safetensors is " + size + " bytes");
        }
        assertTrue(!DIRS.get(DemoModel.DEMO_CAREFUL).equals(DIRS.get(DemoModel.DEMO_HASTY)));
        try (var entries = Files.list(cache)) {
            assertEquals(DemoModel.values().length, entries.count(), "one directory per model, no temporary left");
        }
    }

    @Test
    void replacesADamagedCopy(@TempDir Path other) throws IOException {
        Path d = DemoModel.DEMO_CAREFUL.directory(other);
        Files.write(d.resolve("model.safetensors"), new byte[] {1, 2, 3});
        Path again = DemoModel.DEMO_CAREFUL.directory(other);
        assertEquals(d, again);
        assertEquals(DemoModel.DEMO_CAREFUL.manifestSha256(),
                DemoModelTraining.sha256(again.resolve("model.safetensors")));
    }

    @ParameterizedTest
    @EnumSource(DemoModel.class)
    void loadsAndItsTokenizerRoundTripsGeneratedProblems(DemoModel m) {
        Path dir = DIRS.get(m);
        try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(m.manifest().at("/model/num_hidden_layers").asInt(), model.config().numLayers(),
                    m + ": layers vs manifest");
            SyntheticGenerator g = new SyntheticGenerator(11);
            CharVocabulary v = CharVocabulary.ascii();
            for (int i = 0; i < 200; i++) {
                for (String split : List.of("train", "test")) {
                    Problem p = g.generate(split, i, 1 + i % 4);
                    String text = DemoData.prompt(p.question()) + p.goldSolution();
                    assertTrue(v.covers(text), "a character outside the vocabulary in " + text);
                    int[] ids = tok.encode(text, true);
                    int[] expected = new int[text.length() + 1];
                    expected[0] = CharVocabulary.BOS;
                    System.arraycopy(v.encode(text), 0, expected, 1, text.length());
                    assertArrayEquals(expected, ids, text);
                    assertEquals(text, tok.decode(ids, true));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DemoModel.class)
    void reMeasuresTheManifestsAccuracyAndModeSharesOnItsOwnValidationProblems(DemoModel m) {
        JsonNode val = m.manifest().get("validation");
        List<DemoEvaluation.Outcome> outcomes = MEASURED.get(m);
        List<DemoEvaluation.Accuracy> levels = DemoEvaluation.byDifficulty(outcomes);
        List<DemoEvaluation.Modes> modes = DemoEvaluation.modesByDifficulty(outcomes);
        DemoEvaluation.Accuracy overall = DemoEvaluation.overall(outcomes);
        System.out.println(m.wireName() + " re-measured on " + outcomes.size() + " validation problems: "
                + overall.correct() + "/" + overall.total() + " " + levels + " " + modes);

        assertEquals(SyntheticGenerator.MAX_DIFFICULTY, levels.size());
        for (DemoEvaluation.Accuracy a : levels) {
            JsonNode cell = val.at("/by_difficulty/" + a.difficulty());
            assertEquals(cell.get("total").asInt(), a.total(), m + " difficulty " + a.difficulty());
            assertWithin(cell.get("correct").asInt(), a.correct(), a.total(),
                    m + " accuracy, difficulty " + a.difficulty());
        }
        assertWithin(val.at("/overall/correct").asInt(), overall.correct(), overall.total(), m + " accuracy, overall");
        for (DemoEvaluation.Modes md : modes) {
            String key = md.difficulty() == 0 ? "overall" : Integer.toString(md.difficulty());
            for (CompletionMode mode : CompletionMode.values()) {
                assertWithin(val.at("/modes/" + key + "/" + mode.label() + "/count").asInt(), md.counts().get(mode),
                        md.total(), m + " " + mode.label() + " share, difficulty " + key);
            }
        }
    }

    @Test
    void demoCarefulIsMostlyCarefulDemoHastyMostlyHastyAndLessAccurate() {
        List<DemoEvaluation.Modes> careful = DemoEvaluation.modesByDifficulty(MEASURED.get(DemoModel.DEMO_CAREFUL));
        List<DemoEvaluation.Modes> hasty = DemoEvaluation.modesByDifficulty(MEASURED.get(DemoModel.DEMO_HASTY));
        double carefulShare = careful.get(careful.size() - 1).share(CompletionMode.CAREFUL);
        double hastyShare = hasty.get(hasty.size() - 1).share(CompletionMode.HASTY);
        assertTrue(carefulShare > 0.5, "demo-careful's share of careful answers " + carefulShare);
        assertTrue(hastyShare > 0.5, "demo-hasty's share of hasty answers " + hastyShare);
        double carefulAcc = DemoEvaluation.overall(MEASURED.get(DemoModel.DEMO_CAREFUL)).rate();
        double hastyAcc = DemoEvaluation.overall(MEASURED.get(DemoModel.DEMO_HASTY)).rate();
        assertTrue(carefulAcc > hastyAcc, "accuracy: demo-careful " + carefulAcc + ", demo-hasty " + hastyAcc);
    }

    /** {@code actual} of {@code n} items within {@link #TOLERANCE_POINTS} of {@code expected} of {@code n}. */
    private static void assertWithin(int expected, int actual, int n, String what) {
        int slack = (int) Math.floor(TOLERANCE_POINTS / 100 * n + 1e-9);
        assertTrue(Math.abs(expected - actual) <= slack, what + ": manifest " + expected + "/" + n + ", re-measured "
                + actual + "/" + n + " (tolerance " + slack + " items = " + TOLERANCE_POINTS + " points)");
    }
}
