package dev.steeropt.studies.analysis.lens;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The logit lens (nostalgebraist 2020): every chosen layer's {@code hook_resid_post} through the model's own head
 * ({@link LoadedModel#logitLens}: the final norm and everything after it), at every non-pad position, as
 * probabilities: the top k tokens, the gold token's rank (1 = top) and probability, and
 * {@code KL(P_final ‖ P_layer)} in nats, where {@code P_final} is the model's own next-token distribution.
 */
public final class LogitLens {
    private LogitLens() {}

    /** {@code logit_lens.json}: the layers read and one entry per input row. */
    public record Result(List<Integer> layers, List<Row> rows) {}

    /** One input row's positions (pads omitted), position-major then layer. */
    public record Row(List<Position> positions) {}

    /**
     * One (position, layer) cell.
     *
     * @param position  index into the row as given, padding included
     * @param top       {@code [token_id, prob]} pairs, most probable first
     * @param goldRank  1-based rank of the gold token, or null without one
     * @param goldProb  its probability, or null
     * @param klToFinal {@code KL(P_final ‖ P_layer)} in nats
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Position(int position, int layer, List<List<Number>> top, Integer goldRank, Double goldProb, double klToFinal) {}

    /**
     * Runs the lens over a forward whose activations hold {@code blocks.{i}.hook_resid_post} of every layer in
     * {@code layers} and whose logits are {@code ALL}.
     *
     * @param gold gold token id per row, or −1 for none
     */
    public static Result of(LoadedModel model, PromptBatch batch, ForwardResult r, int[] layers, int[] gold, int topK) {
        int t = batch.width();
        int v = r.vocab();
        float[] finalLogits = r.logits();
        List<float[]> lens = new ArrayList<>();
        for (int l : layers) {
            lens.add(model.logitLens(r.activation(HookPoint.residPost(l))));
        }
        List<Row> rows = new ArrayList<>();
        for (int b = 0; b < batch.batchSize(); b++) {
            List<Position> cells = new ArrayList<>();
            for (int c = t - batch.promptLength(b); c < t; c++) {
                int at = (b * t + c) * v;
                double[] pFinal = softmax(finalLogits, at, v);
                for (int li = 0; li < layers.length; li++) {
                    double[] p = softmax(lens.get(li), at, v);
                    Integer rank = null;
                    Double prob = null;
                    if (gold[b] >= 0) {
                        prob = p[gold[b]];
                        int higher = 0;
                        for (double q : p) {
                            higher += q > p[gold[b]] ? 1 : 0;
                        }
                        rank = higher + 1;
                    }
                    cells.add(new Position(c, layers[li], top(p, topK), rank, prob, kl(pFinal, p)));
                }
            }
            rows.add(new Row(cells));
        }
        return new Result(Arrays.stream(layers).boxed().toList(), rows);
    }

    /** The largest |lens − logits| of the last block over the non-pad positions (0 when the lens is the model's head). */
    public static double lastLayerGap(LoadedModel model, PromptBatch batch, ForwardResult r) {
        int n = model.config().numLayers();
        float[] lens = model.logitLens(r.activation(HookPoint.residPost(n - 1)));
        int t = batch.width();
        int v = r.vocab();
        double worst = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int c = t - batch.promptLength(b); c < t; c++) {
                for (int k = 0; k < v; k++) {
                    int at = (b * t + c) * v + k;
                    worst = Math.max(worst, Math.abs(lens[at] - r.logits()[at]));
                }
            }
        }
        return worst;
    }

    static double[] softmax(float[] logits, int from, int v) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v; k++) {
            max = Math.max(max, logits[from + k]);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int k = 0; k < v; k++) {
            p[k] = Math.exp(logits[from + k] - max);
            sum += p[k];
        }
        for (int k = 0; k < v; k++) {
            p[k] /= sum;
        }
        return p;
    }

    static double kl(double[] p, double[] q) {
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            if (p[k] > 0) {
                s += p[k] * (Math.log(p[k]) - Math.log(Math.max(q[k], Double.MIN_NORMAL)));
            }
        }
        return Math.max(0, s);
    }

    static List<List<Number>> top(double[] p, int k) {
        Integer[] idx = new Integer[p.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> p[b] != p[a] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        List<List<Number>> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, p.length); i++) {
            out.add(List.of(idx[i], p[idx[i]]));
        }
        return out;
    }
}
