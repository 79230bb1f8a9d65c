package dev.steeropt.studies.probes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Per-layer linear probes of correct vs incorrect, trained on train-split activations and scored on validation ones.
 * Serialises to JSON with Jackson ({@link #toJson}, {@link #fromJson}).
 *
 * @param hookPoint    hook point family read, e.g. {@code hook_resid_post}
 * @param readPosition where each sequence was read, e.g. {@code last_token}
 * @param lambda       L2 penalty of the logistic regression
 * @param layers       one result per layer, ascending
 */
public record ProbeReport(String hookPoint, String readPosition, double lambda, List<LayerResult> layers) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ProbeReport {
        Objects.requireNonNull(hookPoint, "hookPoint");
        Objects.requireNonNull(readPosition, "readPosition");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a probe report needs at least one layer");
        }
    }

    /**
     * One layer's probe.
     *
     * @param layer         decoder layer
     * @param trainAccuracy accuracy on the training activations
     * @param valAccuracy   accuracy on validation (threshold 0.5 on the posterior)
     * @param valAuc        ROC AUC on validation (Mann-Whitney)
     * @param nTrain        training examples
     * @param nVal          validation examples
     */
    public record LayerResult(int layer, double trainAccuracy, double valAccuracy, double valAuc, int nTrain, int nVal) {}

    /**
     * The {@code --layers auto} choice: the k layers with the highest validation AUC (ties: higher validation accuracy,
     * then the lower layer), returned in ascending layer order.
     */
    public List<Integer> topLayersByAuc(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        List<LayerResult> sorted = new ArrayList<>(layers);
        sorted.sort(Comparator.comparingDouble(LayerResult::valAuc).reversed()
                .thenComparing(Comparator.comparingDouble(LayerResult::valAccuracy).reversed())
                .thenComparingInt(LayerResult::layer));
        List<Integer> out = new ArrayList<>();
        for (LayerResult r : sorted.subList(0, Math.min(k, sorted.size()))) {
            out.add(r.layer());
        }
        out.sort(Integer::compare);
        return out;
    }

    /** The layer with the best validation AUC. */
    public LayerResult best() {
        return layers.stream().filter(r -> r.layer() == topLayersByAuc(1).get(0)).findFirst().orElseThrow();
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@link #toJson} output. */
    public static ProbeReport fromJson(String json) {
        try {
            return JSON.readValue(json, ProbeReport.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a probe report: " + e.getMessage(), e);
        }
    }
}
