package dev.steeropt.studies.analysis.directions;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code directions.json}: per layer the direction's norm (and relative to the mean residual norm), its cosine with
 * the neighbouring layers' directions, the full layer × layer cosine matrix, and with {@code --versus} the cosine
 * between the within-model and the cross-model direction at each layer. Cosines of a zero direction are null.
 */
@JsonPropertyOrder({"kind", "model_a", "model_a_fingerprint", "model_b", "model_b_fingerprint", "contrast", "read",
    "dataset", "train_split_hash", "n_train", "layers", "cosine_matrix"})
public record DirectionsReport(String kind, String model_a, String model_a_fingerprint, String model_b,
        String model_b_fingerprint, String contrast, String read, String dataset, String train_split_hash, int n_train,
        List<Layer> layers, List<List<Double>> cosine_matrix) {

    /** One layer's row. */
    @JsonPropertyOrder({"layer", "norm", "mean_residual_norm", "relative_norm", "cosine_previous", "cosine_next",
        "within_norm", "within_vs_cross_cosine"})
    public record Layer(int layer, double norm, double mean_residual_norm, double relative_norm, Double cosine_previous,
            Double cosine_next, Double within_norm, Double within_vs_cross_cosine) {}

    /** Builds the report of {@code main} (the set written to the file) and, for a cross-model run, {@code within}. */
    static DirectionsReport of(DirectionSet main, DirectionSet within, String modelA, String modelB) {
        List<Integer> layers = main.layers();
        List<Layer> rows = new ArrayList<>();
        List<List<Double>> matrix = new ArrayList<>();
        Map<Integer, float[]> d = main.directions();
        for (int i = 0; i < layers.size(); i++) {
            int l = layers.get(i);
            float[] v = d.get(l);
            double norm = VectorMath.norm(v);
            double mean = main.meanNorms().get(l);
            Double prev = i > 0 ? finite(VectorMath.cosine(v, d.get(layers.get(i - 1)))) : null;
            Double next = i + 1 < layers.size() ? finite(VectorMath.cosine(v, d.get(layers.get(i + 1)))) : null;
            Double wNorm = within == null || within == main ? null : VectorMath.norm(within.directions().get(l));
            Double wc = within == null || within == main ? null : finite(VectorMath.cosine(within.directions().get(l), v));
            rows.add(new Layer(l, norm, mean, mean == 0 ? 0 : norm / mean, prev, next, wNorm, wc));
            List<Double> row = new ArrayList<>();
            for (int m : layers) {
                row.add(finite(VectorMath.cosine(v, d.get(m))));
            }
            matrix.add(row);
        }
        Map<String, String> meta = main.metadata();
        return new DirectionsReport(meta.get(DirectionSet.KIND), modelA, meta.get(DirectionSet.MODEL_A), modelB,
                meta.get(DirectionSet.MODEL_B), meta.get(DirectionSet.CONTRAST), meta.get(DirectionSet.READ),
                meta.get("dataset"), meta.get(DirectionSet.SPLIT_HASH),
                Integer.parseInt(meta.getOrDefault("n_prompts", meta.getOrDefault("n_pairs", "0"))), rows, matrix);
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
