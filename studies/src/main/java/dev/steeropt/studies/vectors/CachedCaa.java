package dev.steeropt.studies.vectors;

import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.steering.caa.CaaVectors;
import dev.steeropt.core.steering.caa.ContrastPair;
import dev.steeropt.core.steering.caa.ReadPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CAA vectors for many layers whose activations go through the activation cache: a second build with the same model,
 * pairs, scope and read position runs no forward at all.
 *
 * {@snippet :
 * CachedCaa.Built b = CachedCaa.build(store, scope, PairBuilders.GOLD_VS_CORRUPTED, model, pairs,
 *         ReadPosition.lastToken(), List.of(4, 6, 8), 8);
 * SteeringVector v = b.vector(6);   // metadata: model fingerprint, split hash, pair builder, n_pairs, mean norm
 * }
 */
public final class CachedCaa {
    private CachedCaa() {}

    /**
     * The vectors of one build with the provenance every {@link SteeringVector} of it carries.
     *
     * @param vectors     the per-layer vectors and mean norms
     * @param scope       the cache scope they were read under
     * @param pairBuilder which builder made the pairs
     */
    public record Built(CaaVectors vectors, CachedActivations.Scope scope, String pairBuilder) {
        /** The vector of one layer with its full metadata. */
        public SteeringVector vector(int layer) {
            Map<String, String> meta = new TreeMap<>();
            meta.put(SteeringVector.KEY_MODEL_FINGERPRINT, scope.modelFingerprint());
            meta.put(SteeringVector.KEY_SPLIT_HASH, scope.splitHash());
            meta.put(SteeringVector.KEY_PAIR_BUILDER, pairBuilder);
            return vectors.vector(layer, meta);
        }
    }

    /**
     * Reads (or loads from the cache) the positive and negative activations of the pairs at every layer and averages
     * their difference.
     *
     * @param scope       the split's scope; {@code /<pairBuilder>/positive} and {@code /negative} are appended
     * @param pairBuilder e.g. {@link PairBuilders#GOLD_VS_CORRUPTED}
     * @param batchSize   sequences per forward
     */
    public static Built build(ActivationStore store, CachedActivations.Scope scope, String pairBuilder, LoadedModel model,
            List<ContrastPair> pairs, ReadPosition read, List<Integer> layers, int batchSize) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("CAA needs at least one contrast pair; the " + pairBuilder + " builder produced none");
        }
        List<int[]> pos = new ArrayList<>();
        List<int[]> neg = new ArrayList<>();
        for (ContrastPair p : pairs) {
            pos.add(p.positive());
            neg.add(p.negative());
        }
        CachedActivations.Scope base = scope.withSplitSuffix("/" + pairBuilder);
        CaaVectors v = CaaVectors.fromActivations(
                CachedActivations.read(store, base.withSplitSuffix("/positive"), model, pos, read, layers, batchSize),
                CachedActivations.read(store, base.withSplitSuffix("/negative"), model, neg, read, layers, batchSize));
        return new Built(v, scope, pairBuilder);
    }
}
