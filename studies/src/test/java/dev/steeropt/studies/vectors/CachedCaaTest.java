package dev.steeropt.studies.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.steering.caa.CaaVectors;
import dev.steeropt.core.steering.caa.ContrastPair;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CAA through the activation cache on the tiny llama fixture: the second build runs no forward. */
class CachedCaaTest {
    static final Path MODEL = Path.of("../steering-core/src/test/resources/models/tiny-llama-fp32");

    static List<ContrastPair> pairs(Tokenizer tok) {
        List<ContrastPair> out = new ArrayList<>();
        String[][] items = {
            {"Q: 2+3? A: ", "2+3 = <<2+3=5>>5\n#### 5"},
            {"Q: 4*6? A: ", "4*6 = <<4*6=24>>24\n#### 24"},
            {"Q: 9-1? A: ", "9-1 = <<9-1=8>>8\n#### 8"},
        };
        for (String[] it : items) {
            TextPair t = PairBuilders.goldVsCorrupted("x", it[0], it[1], 1);
            out.add(new ContrastPair(tok.encode(t.positive(), true), tok.encode(t.negative(), true)));
        }
        return out;
    }

    @Test
    void secondBuildWithTheSameKeyComputesNothing(@TempDir Path dir) {
        try (LoadedModel model = LoadedModel.load(MODEL); Tokenizer tok = Tokenizer.load(MODEL)) {
            ActivationStore store = ActivationStore.open(dir.resolve("cache"), 1L << 30);
            CachedActivations.Scope scope = new CachedActivations.Scope(Fingerprints.model(MODEL), "train",
                    Fingerprints.idList(List.of("a", "b", "c")), "v1", "special=true");
            List<ContrastPair> pairs = pairs(tok);
            AtomicInteger forwards = new AtomicInteger();
            CachedCaa.Built first;
            CachedCaa.Built second;
            CachedCaa.Built wider;
            try (HookHandle h = model.hooks().add(HookPoint.embed(), (x, ctx) -> {
                forwards.incrementAndGet();
                return x;
            })) {
                first = CachedCaa.build(store, scope, PairBuilders.GOLD_VS_CORRUPTED, model, pairs, ReadPosition.lastToken(),
                        List.of(1, 3), 2);
                assertEquals(4, forwards.get(), "3 positives and 3 negatives at batch size 2: 2 + 2 forwards, all layers at once");
                second = CachedCaa.build(store, scope, PairBuilders.GOLD_VS_CORRUPTED, model, pairs, ReadPosition.lastToken(),
                        List.of(1, 3), 2);
                assertEquals(4, forwards.get(), "the second build must come entirely from the cache");
                wider = CachedCaa.build(store, scope, PairBuilders.GOLD_VS_CORRUPTED, model, pairs, ReadPosition.lastToken(),
                        List.of(1, 2, 3), 2);
                assertEquals(8, forwards.get(), "only the missing layer 2 is read, again one forward per batch");
            }
            for (int l : new int[] {1, 3}) {
                assertArrayEquals(first.vectors().vectors().get(l), second.vectors().vectors().get(l), 0f);
                assertArrayEquals(first.vectors().vectors().get(l), wider.vectors().vectors().get(l), 0f);
            }
            CaaVectors direct = CaaVectors.build(model, pairs, ReadPosition.lastToken(), List.of(1, 2, 3), 2);
            for (int l = 1; l <= 3; l++) {
                assertArrayEquals(direct.vectors().get(l), wider.vectors().vectors().get(l), 0f, "layer " + l);
            }
            SteeringVector v = wider.vector(2);
            assertEquals(scope.modelFingerprint(), v.metadata().get(SteeringVector.KEY_MODEL_FINGERPRINT));
            assertEquals(PairBuilders.GOLD_VS_CORRUPTED, v.metadata().get(SteeringVector.KEY_PAIR_BUILDER));
            assertEquals("3", v.metadata().get(SteeringVector.KEY_N_PAIRS));
            assertTrue(v.meanResidualNorm().orElseThrow() > 0);
            assertTrue(v.norm() > 0);

            List<ContrastPair> other = pairs(tok).subList(0, 2);
            assertNotEquals(CachedActivations.key(scope, List.of(pairs.get(0).positive()), ReadPosition.lastToken(), 1),
                    CachedActivations.key(scope, List.of(other.get(1).positive()), ReadPosition.lastToken(), 1),
                    "other token ids are another key");
        }
    }
}
