package dev.steeropt.studies.analysis.reads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.steering.caa.ResidualReader;
import dev.steeropt.studies.vectors.CachedActivations;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one residual read of the analyses on the tiny llama fixture: {@code mean_generated} rows against an unbatched,
 * hand-averaged forward of each prompt plus completion; {@code last_prompt_token} against CAA's reader; and both read
 * positions through the activation cache, whose key holds the completions.
 */
class ResidualReadsTest {
    static final Path MODEL = Path.of("../steering-core/src/test/resources/models/tiny-llama-fp32");
    static final List<int[]> PROMPTS = List.of(new int[] {1, 5, 9, 14}, new int[] {1, 7}, new int[] {1, 3, 3, 8, 21, 2});
    static final List<int[]> COMPLETIONS = List.of(new int[] {11, 12, 13}, new int[] {}, new int[] {30});
    static final List<Integer> LAYERS = List.of(0, 2);

    @Test
    void meanGeneratedAveragesTheCompletionsPositionsAndAnEmptyOneReadsTheLastPromptToken() {
        try (LoadedModel model = LoadedModel.load(MODEL)) {
            Map<Integer, float[][]> rows = ResidualReads.rows(model, PROMPTS, COMPLETIONS, ReadMode.MEAN_GENERATED, LAYERS, 0);
            int d = model.config().hiddenSize();
            for (int i = 0; i < PROMPTS.size(); i++) {
                int[] p = PROMPTS.get(i);
                int[] c = COMPLETIONS.get(i);
                int[] seq = Arrays.copyOf(p, p.length + c.length);
                System.arraycopy(c, 0, seq, p.length, c.length);
                ForwardResult alone = model.forward(PromptBatch.leftPad(List.of(seq), 0),
                        LAYERS.stream().map(HookPoint::residPost).toList(), Transformer.Logits.NONE, HookSet.empty());
                int from = c.length == 0 ? seq.length - 1 : p.length;
                for (int l : LAYERS) {
                    float[] a = alone.activation(HookPoint.residPost(l));
                    double[] want = new double[d];
                    for (int t = from; t < seq.length; t++) {
                        for (int j = 0; j < d; j++) {
                            want[j] += a[t * d + j];
                        }
                    }
                    float[] got = rows.get(l)[i];
                    for (int j = 0; j < d; j++) {
                        assertEquals(want[j] / (seq.length - from), got[j], 1e-4, "sequence " + i + " layer " + l + " dim " + j);
                    }
                }
            }
            Map<Integer, float[][]> last = ResidualReads.rows(model, PROMPTS, null, ReadMode.LAST_PROMPT_TOKEN, LAYERS, 0);
            Map<Integer, float[][]> caa = ResidualReader.read(model, PROMPTS, ReadPosition.lastToken(), LAYERS, 16);
            for (int l : LAYERS) {
                for (int i = 0; i < PROMPTS.size(); i++) {
                    assertArrayEquals(caa.get(l)[i], last.get(l)[i], 0f, "last prompt token is CAA's read");
                }
            }
            assertTrue(Math.abs(last.get(2)[0][0] - rows.get(2)[0][0]) > 1e-6, "the mean over a completion is not the last"
                    + " prompt token");
        }
    }

    @Test
    void theCacheServesRepeatsWithoutAForwardAndAChangedCompletionIsAnotherEntry(@TempDir Path dir) {
        try (LoadedModel model = LoadedModel.load(MODEL)) {
            ActivationStore store = ActivationStore.open(dir.resolve("cache"), 1L << 30);
            CachedActivations.Scope scope = new CachedActivations.Scope(Fingerprints.model(MODEL), "train/test",
                    Fingerprints.idList(List.of("a", "b", "c")), "v1", "pad=left");
            AtomicInteger forwards = new AtomicInteger();
            try (HookHandle h = model.hooks().add(HookPoint.embed(), (x, ctx) -> {
                forwards.incrementAndGet();
                return x;
            })) {
                for (ReadMode mode : ReadMode.values()) {
                    forwards.set(0);
                    Map<Integer, float[][]> direct = ResidualReads.rows(model, PROMPTS, COMPLETIONS, mode, LAYERS, 0);
                    int one = forwards.getAndSet(0);
                    Map<Integer, float[][]> first = ResidualReads.cached(store, scope, model, PROMPTS, COMPLETIONS, mode, LAYERS, 0);
                    assertEquals(one, forwards.getAndSet(0), mode + ": a miss reads every layer in one pass");
                    Map<Integer, float[][]> again = ResidualReads.cached(store, scope, model, PROMPTS, COMPLETIONS, mode, LAYERS, 0);
                    assertEquals(0, forwards.getAndSet(0), mode + ": a repeat comes from the cache");
                    for (int l : LAYERS) {
                        for (int i = 0; i < PROMPTS.size(); i++) {
                            assertArrayEquals(direct.get(l)[i], first.get(l)[i], 0f, mode + " layer " + l);
                            assertArrayEquals(direct.get(l)[i], again.get(l)[i], 0f, mode + " layer " + l);
                        }
                    }
                }
                List<int[]> other = List.of(new int[] {11, 12, 14}, new int[] {}, new int[] {30});
                Map<Integer, float[][]> changed = ResidualReads.cached(store, scope, model, PROMPTS, other,
                        ReadMode.MEAN_GENERATED, LAYERS, 0);
                assertTrue(forwards.get() > 0, "another completion is another key: it must be read, not served stale");
                Map<Integer, float[][]> want = ResidualReads.rows(model, PROMPTS, other, ReadMode.MEAN_GENERATED, LAYERS, 0);
                assertArrayEquals(want.get(2)[0], changed.get(2)[0], 0f);
            }
        }
    }
}
