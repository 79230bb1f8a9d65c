package dev.steeropt.studies.analysis.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cross-validated probes on synthetic activations whose signal is known, with seeded data. */
class CrossValidatedProbesTest {
    private static final CrossValidatedProbes.Options OPTS = CrossValidatedProbes.Options.defaults(1);

    /** Layer 0 pure noise, layer 1 the class index shifts dimension 0 by 5 SD per class. */
    private static ProbeSet signalAndNoise(int[] labels, int k, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = labels.length;
        float[][] noise = new float[n][d];
        float[][] signal = new float[n][d];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                noise[i][j] = (float) r.nextGaussian();
                signal[i][j] = (float) r.nextGaussian();
            }
            signal[i][0] += 5f * labels[i];
            groups[i] = i;
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add("c" + c);
        }
        return new ProbeSet(Map.of(0, noise, 1, signal), labels, classes, groups, Collections.nCopies(n, "f"));
    }

    private static int[] labels(int... counts) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void findsTheSignalLayerAndNotTheNoiseLayer() {
        CrossValidatedProbes.Curve c = CrossValidatedProbes.fit(signalAndNoise(labels(60, 60), 2, 8, 3), OPTS);
        CrossValidatedProbes.LayerResult noise = c.layers().get(0);
        CrossValidatedProbes.LayerResult signal = c.layers().get(1);
        assertTrue(noise.ciLow() < 0.5 && noise.ciHigh() > 0.5, "noise layer at chance: " + noise);
        assertTrue(signal.accuracy() > 0.9 && signal.auc() > 0.95, "signal layer found: " + signal);
        assertTrue(signal.ciLow() < signal.accuracy() && signal.accuracy() <= signal.ciHigh(), "Wilson interval around it");
        assertEquals(120, signal.n());
        assertEquals(Integer.valueOf(1), c.firstLayerAbove(0.9));
        assertEquals(List.of(1), c.topLayersByAuc(1));
        assertNull(c.firstLayerAbove(1.0), "no accuracy exceeds 100%");
    }

    @Test
    void downSamplesTheMajorityClassSoANoiseLayerSitsAtChance() {
        ProbeSet set = signalAndNoise(labels(200, 40), 2, 8, 5);
        CrossValidatedProbes.Curve c = CrossValidatedProbes.fit(set, OPTS);
        assertEquals(Map.of("c0", 200, "c1", 40), c.balance().before());
        assertEquals(Map.of("c0", 40, "c1", 40), c.balance().after());
        CrossValidatedProbes.LayerResult noise = c.layers().get(0);
        assertEquals(80, noise.n());
        assertTrue(noise.ciLow() < 0.5 && noise.ciHigh() > 0.5, "balanced: chance is 50%, not the 83% majority: " + noise);
        CrossValidatedProbes.Curve unbalanced = CrossValidatedProbes.fit(set, new CrossValidatedProbes.Options(5, 1.0, 1, false));
        assertEquals(240, unbalanced.layers().get(0).n());
        assertTrue(unbalanced.layers().get(0).accuracy() > 0.7, "without balancing a noise probe rides the majority");
    }

    @Test
    void keepsEachGroupInOneFold() {
        // 100 groups of two near-duplicate examples with the same random label, 300 noise dimensions: a probe that
        // sees one copy in training memorises the other; grouped folds never show it.
        SplittableRandom r = new SplittableRandom(9);
        int groups = 100;
        int d = 300;
        float[][] x = new float[2 * groups][d];
        int[] y = new int[2 * groups];
        int[] g = new int[2 * groups];
        for (int i = 0; i < groups; i++) {
            int label = i % 2;
            for (int j = 0; j < d; j++) {
                float v = (float) r.nextGaussian();
                x[2 * i][j] = v;
                x[2 * i + 1][j] = v + 0.01f * (float) r.nextGaussian();
            }
            y[2 * i] = label;
            y[2 * i + 1] = label;
            g[2 * i] = i;
            g[2 * i + 1] = i;
        }
        List<String> fam = Collections.nCopies(2 * groups, "f");
        double grouped = CrossValidatedProbes.fit(new ProbeSet(Map.of(0, x), y, List.of("a", "b"), g, fam), OPTS).layers().get(0).accuracy();
        int[] own = new int[2 * groups];
        for (int i = 0; i < own.length; i++) {
            own[i] = i;
        }
        double leaky = CrossValidatedProbes.fit(new ProbeSet(Map.of(0, x), y, List.of("a", "b"), own, fam), OPTS).layers().get(0).accuracy();
        assertTrue(grouped < 0.65, "grouped folds: no memorised duplicate, " + grouped);
        assertTrue(leaky > 0.85, "the check can fail: ungrouped folds leak the duplicate, " + leaky);
        int[] folds = CrossValidatedProbes.folds(new ProbeSet(Map.of(0, x), y, List.of("a", "b"), g, fam), 5, 1);
        for (int i = 0; i < groups; i++) {
            assertEquals(folds[2 * i], folds[2 * i + 1], "group " + i);
        }
    }

    @Test
    void threeClassesUseTheMultinomialModel() {
        CrossValidatedProbes.Curve c = CrossValidatedProbes.fit(signalAndNoise(labels(40, 40, 40), 3, 6, 11), OPTS);
        CrossValidatedProbes.LayerResult noise = c.layers().get(0);
        CrossValidatedProbes.LayerResult signal = c.layers().get(1);
        assertTrue(noise.accuracy() < 0.5, "three-class chance is a third: " + noise);
        assertTrue(signal.accuracy() > 0.85 && signal.auc() > 0.9, "signal: " + signal);
    }

    @Test
    void refusesTooFewExamplesOrAMissingClass() {
        assertThrows(IllegalArgumentException.class, () -> CrossValidatedProbes.fit(signalAndNoise(labels(50, 3), 2, 4, 1), OPTS));
        assertThrows(IllegalArgumentException.class, () -> CrossValidatedProbes.fit(signalAndNoise(labels(50, 0), 2, 4, 1), OPTS));
        assertThrows(IllegalArgumentException.class, () -> new CrossValidatedProbes.Options(1, 1, 0, true));
    }
}
