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
import dev.steeropt.eval.synthetic.SyntheticGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo model committed under {@code src/main/resources}: extraction, loading through the ordinary runtime loader,
 * its tokenizer on generated problems, and its greedy accuracy on a fixed sample of 120 synthetic test problems (30 per
 * difficulty).
 */
class EmbeddedModelTest {
    @TempDir
    static Path cache;

    static Path dir;
    static JsonNode manifest;

    @BeforeAll
    static void extract() throws IOException {
        dir = EmbeddedModel.directory(cache);
        manifest = new ObjectMapper().readTree(dir.resolve(DemoModelTraining.MANIFEST).toFile());
    }

    @Test
    void extractsOnceIntoAShaNamedDirectory() throws IOException {
        String sha = manifest.get("weights_sha256").asText();
        assertEquals(cache.resolve(sha.substring(0, 16)), dir);
        assertEquals(sha, EmbeddedModel.manifestSha256());
        for (String f : EmbeddedModel.FILES) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        long modified = Files.getLastModifiedTime(dir.resolve("config.json")).toMillis();
        assertEquals(dir, EmbeddedModel.directory(cache));
        assertEquals(modified, Files.getLastModifiedTime(dir.resolve("config.json")).toMillis(), "re-extracted");
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count(), "no temporary directory left behind");
        }
        long size = Files.size(dir.resolve("model.safetensors"));
        assertTrue(size < 8L << 20, "model.safetensors is " + size + " bytes");
    }

    @Test
    void replacesADamagedCopy(@TempDir Path other) throws IOException {
        Path d = EmbeddedModel.directory(other);
        Files.write(d.resolve("model.safetensors"), new byte[] {1, 2, 3});
        Path again = EmbeddedModel.directory(other);
        assertEquals(d, again);
        assertEquals(EmbeddedModel.manifestSha256(), DemoModelTraining.sha256(again.resolve("model.safetensors")));
    }

    @Test
    void tokenizerRoundTripsGeneratedProblems() {
        try (Tokenizer tok = Tokenizer.load(dir)) {
            SyntheticGenerator g = new SyntheticGenerator(11);
            CharVocabulary v = CharVocabulary.ascii();
            for (int i = 0; i < 400; i++) {
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

    @Test
    void greedyAccuracyOnTheSyntheticTestMixIsInTheBand() {
        // Fixed sample: 30 problems of each difficulty 1-4 (the uniform mix of the synthetic study splits) from the
        // held-out test split of the manifest's generator seed, none of whose questions was seen in training. The band
        // 25%-85% leaves room for steering to help or to hurt.
        JsonNode data = manifest.get("data");
        double[] weights = new double[4];
        for (int k = 0; k < 4; k++) {
            weights[k] = data.get("difficulty_weights").get(k).asDouble();
        }
        DemoData demo = new DemoData(data.get("generator_seed").asLong(), weights);
        Set<String> seen = DemoModelTraining.trainingQuestions(dir);
        assertEquals(demo.trainQuestions(manifest.get("examples_drawn").asLong()), seen);
        List<Problem> sample = new java.util.ArrayList<>();
        for (int d = 1; d <= 4; d++) {
            sample.addAll(demo.heldOut("test", d, 30, seen));
        }
        try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            List<DemoEvaluation.Outcome> outcomes = DemoEvaluation.run(model, tok, sample, 40, 300);
            DemoEvaluation.Accuracy acc = DemoEvaluation.overall(outcomes);
            List<DemoEvaluation.Accuracy> levels = DemoEvaluation.byDifficulty(outcomes);
            System.out.println("embedded demo model, 120 synthetic test problems: " + acc.correct() + "/" + acc.total()
                    + " " + levels);
            assertEquals(120, acc.total());
            assertEquals(4, levels.size());
            assertTrue(acc.rate() >= 0.25 && acc.rate() <= 0.85, acc.toString());
            // harder problems are not easier for the model: difficulty 1 beats difficulty 4
            assertTrue(levels.get(0).rate() > levels.get(3).rate(), levels.toString());
        }
    }
}
