package dev.steeropt.studies.pipeline;

import dev.steeropt.cache.key.ActivationKey;
import dev.steeropt.cache.store.ActivationStore;
import dev.steeropt.cache.store.CachedTensor;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.steering.caa.CaaVectors;
import dev.steeropt.core.steering.caa.ContrastPair;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.Split;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * CAA vectors for the candidate layers from the train split, through the runtime's {@link CaaVectors}: for each train
 * problem, the positive text is prompt + " The answer is {gold}.", the negative the same with the answer off by one
 * (the seed pipeline's contrast, steering-reference §2.2), read at the last token. Each layer's vector and mean
 * residual norm are cached in the {@link ActivationStore}, keyed by model fingerprint, train-split hash, hook point,
 * prompt-variant hash and the pair recipe. (The shared pair builders of {@code studies.vectors} can replace the
 * recipe once they are committed.)
 */
final class VectorBuilder {
    static final String PAIR_BUILDER = "answer-is-gold-vs-gold-plus-one";
    private static final String TOKENIZATION = "special=true;pad=left;pairs=" + PAIR_BUILDER + ";v3";
    private static final int BATCH = 8;

    private VectorBuilder() {}

    static LayerVectors build(LoadedModel model, String modelFingerprint, List<Integer> layers, Split train,
            List<Problem> trainItems, String promptHash, Function<Problem, String> render,
            Function<String, int[]> encode, ActivationStore cache, Progress progress) {
        Map<Integer, ActivationKey> keys = new LinkedHashMap<>();
        for (int l : layers) {
            keys.put(l, new ActivationKey(modelFingerprint, train.name(), train.idsHash(),
                    HookPoint.residPost(l).toString(), promptHash, TOKENIZATION, "last_token_mean_diff",
                    ActivationKey.FORMAT_VERSION));
        }
        Map<String, String> provenance = Map.of(SteeringVector.KEY_MODEL_FINGERPRINT, modelFingerprint,
                SteeringVector.KEY_SPLIT_HASH, train.idsHash(), SteeringVector.KEY_PAIR_BUILDER, PAIR_BUILDER);
        Map<Integer, SteeringVector> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, ActivationKey> e : keys.entrySet()) {
            Optional<List<CachedTensor>> hit = cache.get(e.getValue());
            if (hit.isEmpty()) {
                break;
            }
            out.put(e.getKey(), fromCache(e.getKey(), hit.get(), provenance, trainItems.size()));
        }
        if (out.size() == layers.size()) {
            progress.note("Steering vectors for layers " + layers + " loaded from the cache " + cache.root());
            return new LayerVectors(out);
        }
        progress.start("steering vectors (" + trainItems.size() + " train pairs, layers " + layers + ")", 1);
        List<ContrastPair> pairs = new ArrayList<>();
        for (Problem p : trainItems) {
            String prompt = render.apply(p);
            pairs.add(new ContrastPair(encode.apply(prompt + " The answer is " + p.goldAnswer().strip() + "."),
                    encode.apply(prompt + " The answer is " + wrongAnswer(p) + ".")));
        }
        CaaVectors caa = CaaVectors.build(model, pairs, ReadPosition.lastToken(), layers, BATCH);
        progress.advance(1);
        out.clear();
        for (int l : layers) {
            SteeringVector v = caa.vector(l, provenance);
            List<CachedTensor> tensors = List.of(new CachedTensor("vector", new long[] {v.dimension()}, v.values()),
                    new CachedTensor("mean_residual_norm", new long[] {1},
                            new float[] {(float) v.meanResidualNorm().orElseThrow()}));
            cache.put(keys.get(l), tensors);
            out.put(l, fromCache(l, tensors, provenance, trainItems.size())); // same values as a later cache hit
        }
        return new LayerVectors(out);
    }

    private static SteeringVector fromCache(int layer, List<CachedTensor> tensors, Map<String, String> provenance,
            int nPairs) {
        Map<String, float[]> byName = new LinkedHashMap<>();
        tensors.forEach(t -> byName.put(t.name(), t.data()));
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put(SteeringVector.KEY_METHOD, CaaVectors.METHOD);
        meta.put(SteeringVector.KEY_N_PAIRS, Integer.toString(nPairs));
        meta.put(SteeringVector.KEY_MEAN_RESIDUAL_NORM, Double.toString(byName.get("mean_residual_norm")[0]));
        return SteeringVector.of(layer, byName.get("vector"), meta);
    }

    /** The gold answer + 1 (or with a "1" appended if it is not a number). */
    static String wrongAnswer(Problem p) {
        String gold = p.goldAnswer().strip();
        try {
            return new BigDecimal(gold.replace(",", "")).add(BigDecimal.ONE).toPlainString();
        } catch (NumberFormatException e) {
            return gold + "1";
        }
    }
}
