package dev.steeropt.studies.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.cache.key.Fingerprints;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.hooks.HookHandle;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.studies.vectors.CachedActivations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes through the activation cache on the tiny llama fixture: same report twice, the second without a forward. */
class ProbeRunTest {

    @Test
    void secondRunComesFromTheCache(@TempDir Path dir) {
        Path modelDir = Path.of("../steering-core/src/test/resources/models/tiny-llama-fp32");
        try (LoadedModel model = LoadedModel.load(modelDir)) {
            ActivationStore store = ActivationStore.open(dir, 1L << 30);
            String fp = Fingerprints.model(modelDir);
            SplittableRandom r = new SplittableRandom(3);
            ProbeRun.Split train = split(r, 80, new CachedActivations.Scope(fp, "train", "t", "v1", "special=true"));
            ProbeRun.Split val = split(r, 40, new CachedActivations.Scope(fp, "validation", "v", "v1", "special=true"));
            AtomicInteger forwards = new AtomicInteger();
            try (HookHandle h = model.hooks().add(HookPoint.embed(), (x, ctx) -> {
                forwards.incrementAndGet();
                return x;
            })) {
                ProbeReport first = ProbeRun.run(store, model, train, val, ReadPosition.lastToken(), List.of(0, 2), 20, 1.0);
                assertEquals(6, forwards.get(), "80/20 + 40/20 sequences per batch");
                ProbeReport second = ProbeRun.run(store, model, train, val, ReadPosition.lastToken(), List.of(0, 2), 20, 1.0);
                assertEquals(6, forwards.get(), "the second run reads only the cache");
                assertEquals(first, second);
                assertTrue(first.best().valAuc() > 0.9, first.toJson());
                assertEquals("last_token", first.readPosition());
            }
        }
    }

    private static ProbeRun.Split split(SplittableRandom r, int n, CachedActivations.Scope scope) {
        List<int[]> seqs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int[] s = new int[4 + r.nextInt(4)];
            for (int j = 0; j < s.length - 1; j++) {
                s[j] = 30 + r.nextInt(400);
            }
            s[s.length - 1] = (labels[i] == 1 ? 10 : 20) + r.nextInt(5);
            seqs.add(s);
        }
        return new ProbeRun.Split(scope, seqs, labels);
    }
}
