package dev.steeropt.core.steering.caa;

import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.SteeringVector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CAA mean-difference vectors for many layers at once: {@code v_L = mean_k(h⁺_k − h⁻_k)} of the residual stream
 * after block L at the read position (steering-reference §1), with the mean residual norm at L (the mean of
 * {@code ‖h‖} over every positive and negative read activation), which is the unit of α by default.
 *
 * @param vectors           layer → v_L (d_model floats), layers ascending
 * @param meanResidualNorms layer → mean ‖h‖ at that layer
 * @param nPairs            pairs averaged
 */
public record CaaVectors(Map<Integer, float[]> vectors, Map<Integer, Double> meanResidualNorms, int nPairs) {
    /** The {@link SteeringVector#KEY_METHOD} value of these vectors. */
    public static final String METHOD = "caa_mean_difference";

    public CaaVectors {
        vectors = Collections.unmodifiableMap(new TreeMap<>(vectors));
        meanResidualNorms = Collections.unmodifiableMap(new TreeMap<>(meanResidualNorms));
        if (!vectors.keySet().equals(meanResidualNorms.keySet())) {
            throw new IllegalArgumentException("vectors for layers " + vectors.keySet() + " but norms for " + meanResidualNorms.keySet());
        }
        if (nPairs < 1) {
            throw new IllegalArgumentException("nPairs must be >= 1, got " + nPairs);
        }
    }

    /**
     * Reads the pairs through the model (one forward per batch of sequences, all layers at once) and averages.
     *
     * @param batchSize sequences per forward
     */
    public static CaaVectors build(LoadedModel model, List<ContrastPair> pairs, ReadPosition read, List<Integer> layers, int batchSize) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("CAA needs at least one contrast pair");
        }
        List<int[]> pos = new ArrayList<>();
        List<int[]> neg = new ArrayList<>();
        for (ContrastPair p : pairs) {
            pos.add(p.positive());
            neg.add(p.negative());
        }
        return fromActivations(ResidualReader.read(model, pos, read, layers, batchSize),
                ResidualReader.read(model, neg, read, layers, batchSize));
    }

    /**
     * Averages already-read activations.
     *
     * @param positive layer → {@code [pair][d_model]}
     * @param negative layer → {@code [pair][d_model]}, same layers and pair count
     * @throws IllegalStateException if a layer holds no activation (an empty capture)
     */
    public static CaaVectors fromActivations(Map<Integer, float[][]> positive, Map<Integer, float[][]> negative) {
        if (positive.isEmpty() || !positive.keySet().equals(negative.keySet())) {
            throw new IllegalArgumentException("positive activations for layers " + positive.keySet() + " but negative for "
                    + negative.keySet());
        }
        Map<Integer, float[]> vectors = new LinkedHashMap<>();
        Map<Integer, Double> norms = new LinkedHashMap<>();
        int pairs = -1;
        for (Map.Entry<Integer, float[][]> e : positive.entrySet()) {
            float[][] p = e.getValue();
            float[][] q = negative.get(e.getKey());
            if (p.length == 0) {
                throw new IllegalStateException("no activation was captured at layer " + e.getKey() + "; refusing to build a zero vector");
            }
            if (p.length != q.length) {
                throw new IllegalArgumentException("layer " + e.getKey() + ": " + p.length + " positive but " + q.length + " negative activations");
            }
            if (pairs >= 0 && pairs != p.length) {
                throw new IllegalArgumentException("layers hold different pair counts: " + pairs + " and " + p.length);
            }
            pairs = p.length;
            int d = p[0].length;
            double[] sum = new double[d];
            double normSum = 0;
            for (int k = 0; k < p.length; k++) {
                if (p[k].length != d || q[k].length != d) {
                    throw new IllegalArgumentException("layer " + e.getKey() + ", pair " + k + ": activations of " + p[k].length
                            + " and " + q[k].length + " values, expected " + d);
                }
                for (int i = 0; i < d; i++) {
                    sum[i] += (double) p[k][i] - q[k][i];
                }
                normSum += norm(p[k]) + norm(q[k]);
            }
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                v[i] = (float) (sum[i] / p.length);
            }
            vectors.put(e.getKey(), v);
            norms.put(e.getKey(), normSum / (2.0 * p.length));
        }
        return new CaaVectors(vectors, norms, pairs);
    }

    /**
     * The vector of one layer with its provenance: {@code method}, {@code n_pairs}, {@code mean_residual_norm} and
     * {@code layer}, plus whatever the caller adds (model fingerprint, split hash, pair builder).
     */
    public SteeringVector vector(int layer, Map<String, String> provenance) {
        float[] v = vectors.get(layer);
        if (v == null) {
            throw new IllegalArgumentException("no CAA vector for layer " + layer + " (built: " + vectors.keySet() + ")");
        }
        Map<String, String> meta = new TreeMap<>(provenance);
        meta.put(SteeringVector.KEY_METHOD, METHOD);
        meta.put(SteeringVector.KEY_N_PAIRS, Integer.toString(nPairs));
        meta.put(SteeringVector.KEY_MEAN_RESIDUAL_NORM, Double.toString(meanResidualNorms.get(layer)));
        return SteeringVector.of(layer, v, meta);
    }

    private static double norm(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
