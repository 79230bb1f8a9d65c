package dev.steeropt.studies.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.steering.caa.ResidualReader;
import dev.steeropt.studies.artifacts.Artifacts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes on synthetic data with a known answer, and one run on the tiny llama fixture's activations. */
class LayerProbesTest {

    /** Class 1 shifted by {@code shift} along dimension 0; labels random when {@code shift} is 0. */
    static float[][] data(int n, int d, double shift, int[] labels, SplittableRandom r) {
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            x[i][0] += (float) (labels[i] * shift);
        }
        return x;
    }

    @Test
    void separableLayerScoresOneAndNoiseLayerScoresChance() {
        SplittableRandom r = new SplittableRandom(1);
        int[] yt = new int[400];
        int[] yv = new int[400];
        int[] ignore = new int[400];
        Map<Integer, float[][]> train = Map.of(0, data(400, 16, 0, ignore, r), 1, data(400, 16, 12, yt, r));
        Map<Integer, float[][]> val = Map.of(0, data(400, 16, 0, ignore, r), 1, data(400, 16, 12, yv, r));
        ProbeReport report = LayerProbes.train(train, yt, val, yv, LayerProbes.DEFAULT_LAMBDA, "hook_resid_post", "last_token");
        ProbeReport.LayerResult noise = report.layers().get(0);
        ProbeReport.LayerResult signal = report.layers().get(1);
        assertEquals(0, noise.layer());
        assertTrue(signal.valAuc() > 0.999, "separable: " + signal);
        assertTrue(signal.valAccuracy() > 0.99, "separable: " + signal);
        assertTrue(Math.abs(noise.valAuc() - 0.5) < 0.08, "features carry no label information: " + noise);
        assertTrue(Math.abs(noise.valAccuracy() - 0.5) < 0.08, "chance accuracy: " + noise);
        assertEquals(List.of(1), report.topLayersByAuc(1));
        assertEquals(List.of(0, 1), report.topLayersByAuc(5));
        assertEquals(1, report.best().layer());
        assertEquals(report, ProbeReport.fromJson(report.toJson()));
    }

    @Test
    void refusesSingleClassAndEmptyCaptures() {
        int[] ones = {1, 1};
        int[] mixed = {0, 1};
        float[][] x = {{1f}, {2f}};
        assertThrows(IllegalArgumentException.class, () -> LayerProbes.train(Map.of(0, x), ones, Map.of(0, x), mixed, 1, "h", "p"));
        assertThrows(IllegalStateException.class,
                () -> LayerProbes.train(Map.of(0, new float[0][]), mixed, Map.of(0, new float[0][]), mixed, 1, "h", "p"));
    }

    @Test
    void plotIsAPngOfTheReport(@TempDir Path dir) throws IOException {
        ProbeReport report = new ProbeReport("hook_resid_post", "last_token", 1.0, List.of(
                new ProbeReport.LayerResult(0, 0.9, 0.6, 0.62, 10, 10), new ProbeReport.LayerResult(1, 1.0, 0.8, 0.9, 10, 10),
                new ProbeReport.LayerResult(2, 1.0, 0.7, 0.75, 10, 10)));
        Path png = dir.resolve("probes.png");
        ProbePlot.write(report, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ProbePlot.WIDTH, img.getWidth());
        assertEquals(ProbePlot.HEIGHT, img.getHeight());
        int auc = 0;
        int acc = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                auc += rgb == (ProbePlot.AUC.getRGB() & 0xFFFFFF) ? 1 : 0;
                acc += rgb == (ProbePlot.ACCURACY.getRGB() & 0xFFFFFF) ? 1 : 0;
            }
        }
        assertTrue(auc > 100 && acc > 100, "both lines are drawn: " + auc + " AUC and " + acc + " accuracy pixels");
    }

    @Test
    void probesTheFixtureModelsResidualStream(@TempDir Path dir) throws IOException {
        // Label = which of two disjoint token groups ends the sequence; prefixes are random. The residual at the last
        // token carries that token's identity, so a linear probe must find it on held-out sequences.
        Path modelDir = Path.of("../steering-core/src/test/resources/models/tiny-llama-fp32");
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            SplittableRandom r = new SplittableRandom(7);
            List<int[]> trainSeqs = new ArrayList<>();
            List<int[]> valSeqs = new ArrayList<>();
            int[] yt = new int[120];
            int[] yv = new int[60];
            sequences(r, trainSeqs, yt);
            sequences(r, valSeqs, yv);
            List<Integer> layers = List.of(0, 1, 2, 3);
            ProbeReport report = LayerProbes.train(ResidualReader.read(model, trainSeqs, ReadPosition.lastToken(), layers, 16), yt,
                    ResidualReader.read(model, valSeqs, ReadPosition.lastToken(), layers, 16), yv, 1.0, "hook_resid_post", "last_token");
            assertEquals(4, report.layers().size());
            assertTrue(report.best().valAuc() > 0.9, report.toJson());
            for (ProbeReport.LayerResult l : report.layers()) {
                assertTrue(l.valAuc() >= 0 && l.valAuc() <= 1 && l.nTrain() == 120 && l.nVal() == 60, l.toString());
            }
            ProbePlot.write(report, dir.resolve("fixture-probes.png"));
            Path json = new Artifacts(dir).writeJson(Artifacts.PROBES, report);
            assertEquals(report, ProbeReport.fromJson(Files.readString(json)), "probes.json reads back");
            assertNotEquals(0, dir.resolve("fixture-probes.png").toFile().length());
        }
    }

    private static void sequences(SplittableRandom r, List<int[]> out, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            int[] s = new int[3 + r.nextInt(5)];
            for (int j = 0; j < s.length - 1; j++) {
                s[j] = 30 + r.nextInt(400);
            }
            s[s.length - 1] = (labels[i] == 1 ? 10 : 20) + r.nextInt(5);
            out.add(s);
        }
    }
}
