package dev.steeropt.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.testing.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LoadedModel#logitLens} on every fixture model in the test resources (the folder is listed, so a model added
 * there is covered without editing this test): the last block's {@code hook_resid_post} through the lens equals the
 * model's own logits at every non-pad position, within 1e-5 absolute (the same float32 ops on the same values; only
 * the unembedding's blocking may differ), and a lower block's lens does not (a lens that ignored its input and
 * returned the final logits would pass the first check only).
 */
class LogitLensTest {
    private static final double ATOL = 1e-5;

    static Stream<String> models() throws IOException {
        Path root = Fixture.modelDir("tiny-llama-fp32").getParent();
        try (Stream<Path> dirs = Files.list(root)) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("config.json")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            assertTrue(names.size() >= Fixture.MODELS.size(), "expected every fixture model under " + root + ", found " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void lastLayerLensEqualsTheModelsLogits(String name) {
        try (Fixture f = Fixture.open(name); LoadedModel m = LoadedModel.load(f.dir())) {
            int n = m.config().numLayers();
            List<HookPoint> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(HookPoint.residPost(i));
            }
            PromptBatch batch = f.batch();
            ForwardResult r = m.forward(batch, points, Transformer.Logits.ALL, HookSet.empty());
            int v = r.vocab();
            float[] last = m.logitLens(r.activation(HookPoint.residPost(n - 1)));
            assertEquals(r.logits().length, last.length, name + ": lens size");
            double worst = 0;
            for (int row = 0; row < batch.batchSize(); row++) {
                for (int t = batch.width() - batch.promptLength(row); t < batch.width(); t++) {
                    int at = (row * batch.width() + t) * v;
                    for (int k = 0; k < v; k++) {
                        worst = Math.max(worst, Math.abs(last[at + k] - r.logits()[at + k]));
                    }
                }
            }
            assertTrue(worst <= ATOL, name + ": last-layer lens differs from the logits by " + worst);
            float[] first = m.logitLens(r.activation(HookPoint.residPost(0)));
            double gap = 0;
            int at = (batch.width() - 1) * v; // row 0's last token is never a pad
            for (int k = 0; k < v; k++) {
                gap = Math.max(gap, Math.abs(first[at + k] - r.logits()[at + k]));
            }
            assertFalse(n > 1 && gap <= ATOL, name + ": block 0's lens equals the final logits (gap " + gap + ")");
            assertEquals(m.managedArrayCount(), m.liveArrayCount(), name + ": the lens left arrays behind");
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void refusesPartialRows(String name) {
        try (LoadedModel m = LoadedModel.load(Fixture.modelDir(name))) {
            assertThrows(IllegalArgumentException.class, () -> m.logitLens(new float[m.config().hiddenSize() + 1]));
        }
    }
}
