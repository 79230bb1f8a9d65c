package dev.steeropt.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Leak test (style guide 2.4): a training step leaves no array behind in the long-lived managers. */
class AdamWTest {
    /** Two four-token sequences and a tiny model: the shared setting of every test here. */
    private static final TrainConfig CONFIG = new TrainConfig(32, 2, 2, 64, 32, 10000.0, 2, 10, 0, 1e-2, 1e-3, 1, 0.1, 1.0, 3);
    private static final int[][] IDS = {{1, 40, 41, 42}, {1, 43, 44, 45}};
    private static final int[][] TARGETS = {{40, 41, 42, 2}, {43, 44, 45, 2}};
    private static final float[][] WEIGHTS = {{0, 1, 1, 1}, {0, 1, 1, 1}};

    @Test
    void stepsLeaveTheLongLivedManagersUnchanged() {
        try (NDManager root = NDManager.newBaseManager();
                TrainableLlama model = new TrainableLlama(root, CONFIG, CharVocabulary.ascii().size());
                AdamW opt = new AdamW(root, model.params())) {
            int rootArrays = root.getManagedArrays().size();
            int optArrays = opt.managedArrayCount();
            assertEquals(2 * model.params().size(), optArrays);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 5; step++) {
                try (NDManager scope = root.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = model.loss(scope, IDS, TARGETS, WEIGHTS);
                        gc.backward(loss);
                        last = loss.getFloat();
                    }
                    opt.step(scope, CONFIG.learningRateAt(step), CONFIG.weightDecay(), CONFIG.gradClip());
                }
                first = step == 0 ? last : first;
                assertEquals(optArrays, opt.managedArrayCount(), "optimiser arrays after step " + step);
                assertEquals(rootArrays, root.getManagedArrays().size(), "arrays under the root after step " + step);
            }
            assertTrue(last < first, "loss " + first + " -> " + last);
        }
    }

    @Test
    void aNonFiniteGradientIsClearedWithoutAnUpdate() {
        try (NDManager root = NDManager.newBaseManager();
                TrainableLlama model = new TrainableLlama(root, CONFIG, CharVocabulary.ascii().size());
                AdamW opt = new AdamW(root, model.params())) {
            NDArray w = model.params().get(1).array();
            try (NDManager scope = root.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(model.loss(scope, IDS, TARGETS, WEIGHTS));
                }
                float[] before = w.toFloatArray();
                NDArray g = w.getGradient();
                g.attach(scope);
                g.set(new NDIndex("0"), Float.NaN);
                double norm = opt.step(scope, 1e-2, 0.1, 1.0);
                assertTrue(Double.isNaN(norm), "norm " + norm);
                assertArrayEquals(before, w.toFloatArray(), "no update from a NaN gradient");
                for (TrainableLlama.Param p : model.params()) {
                    NDArray pg = p.array().getGradient();
                    pg.attach(scope);
                    assertEquals(0f, pg.abs().sum().getFloat(), p.name() + " gradient cleared");
                }
            }
            // the next batch trains as usual
            try (NDManager scope = root.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(model.loss(scope, IDS, TARGETS, WEIGHTS));
                }
                float[] before = w.toFloatArray();
                assertTrue(Double.isFinite(opt.step(scope, 1e-2, 0.1, 1.0)));
                assertFalse(java.util.Arrays.equals(before, w.toFloatArray()), "updated");
            }
        }
    }
}
