package dev.steeropt.studies.probes;

import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.studies.vectors.CachedActivations;
import java.util.List;
import java.util.Objects;

/**
 * Probes end to end: train and validation activations read through the activation cache
 * ({@link CachedActivations}), then {@link LayerProbes#train}. A second run on the same data runs no forward.
 */
public final class ProbeRun {
    private ProbeRun() {}

    /**
     * One split's sequences with their labels.
     *
     * @param scope     cache scope of the split (model fingerprint, split name and hash, prompt variant, tokenisation)
     * @param sequences token ids, unpadded (prompt + completion)
     * @param labels    1 correct, 0 incorrect, one per sequence
     */
    public record Split(CachedActivations.Scope scope, List<int[]> sequences, int[] labels) {
        public Split {
            Objects.requireNonNull(scope, "scope");
            sequences = List.copyOf(sequences);
            labels = labels.clone();
            if (sequences.size() != labels.length) {
                throw new IllegalArgumentException(sequences.size() + " sequences but " + labels.length + " labels");
            }
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }
    }

    /**
     * @param layers    layers to probe
     * @param batchSize sequences per forward
     * @param lambda    L2 penalty ({@link LayerProbes#DEFAULT_LAMBDA} by default)
     */
    public static ProbeReport run(ActivationStore store, LoadedModel model, Split train, Split val, ReadPosition read,
            List<Integer> layers, int batchSize, double lambda) {
        return LayerProbes.train(
                CachedActivations.read(store, train.scope(), model, train.sequences(), read, layers, batchSize), train.labels(),
                CachedActivations.read(store, val.scope(), model, val.sequences(), read, layers, batchSize), val.labels(),
                lambda, "hook_resid_post", read.label());
    }
}
