package dev.steeropt.core.steering;

import dev.steeropt.core.runtime.GenerationResult.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SteeredGeneration#generate} produced, in plain Java.
 *
 * @param rows        one per prompt row, in row order
 * @param method      {@code baseline}, {@code caa} or {@code dac} (the path actually taken: a zero-strength method
 *                    reports {@code baseline} unless the steered path was forced)
 * @param hookCalls    how often the call's steering hooks ran (one per hook per forward pass reaching the steered
 *                     layer: prefill, resumed prefill, decode step; DAC counts its probe and its steered cache); 0 on
 *                     the baseline path
 * @param elapsedNanos wall time of the call
 */
public record SteeredResult(List<Row> rows, String method, long hookCalls, long elapsedNanos) {
    public SteeredResult {
        rows = List.copyOf(rows);
        Objects.requireNonNull(method, "method");
        if (hookCalls < 0) {
            throw new IllegalArgumentException("hookCalls must be >= 0, got " + hookCalls);
        }
    }

    /**
     * One DAC decode step of one row (steering-reference §2.4 step 4).
     *
     * @param divergence  D_t: the truncated KL (÷|S_t| in REFERENCE mode), float64
     * @param alpha       α_t = clip(D_t, 0, α_max)
     * @param nucleusSize |S_t|, the size of the union of the two top-p nuclei
     */
    public record DacStep(double divergence, double alpha, int nucleusSize) {}

    /**
     * One row's continuation.
     *
     * @param row    row index in the request
     * @param tokens generated ids (the stop token included when one ended the row)
     * @param reason why it stopped
     * @param trace  per generated token, DAC's (D_t, α_t, |S_t|); empty for other methods
     * @param logits per generated token, the logits it was chosen from (only with {@code recordLogits}; else empty)
     */
    public record Row(int row, int[] tokens, FinishReason reason, List<DacStep> trace, List<float[]> logits) {
        public Row {
            tokens = tokens.clone();
            trace = List.copyOf(trace);
            List<float[]> copy = new ArrayList<>(logits.size());
            for (float[] l : logits) {
                copy.add(l.clone());
            }
            logits = List.copyOf(copy);
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }

        @Override
        public List<float[]> logits() {
            List<float[]> copy = new ArrayList<>(logits.size());
            for (float[] l : logits) {
                copy.add(l.clone());
            }
            return copy;
        }
    }

    /** Generated ids per row. */
    public int[][] tokens() {
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).tokens();
        }
        return out;
    }

    /** Total generated tokens. */
    public int generatedTokens() {
        int n = 0;
        for (Row r : rows) {
            n += r.tokens.length;
        }
        return n;
    }
}
