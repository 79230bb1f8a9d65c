package dev.steeropt.core.runtime.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token of one row from its logits: argmax (temperature 0), or temperature → top-k → top-p → one
 * draw. Plain Java over {@code float[]}; deterministic for a given generator state.
 *
 * <p>Top-p keeps the smallest set of most likely tokens whose probability reaches p (at least one token), after
 * top-k when both are set; ties in probability are ordered by the lower token id.
 */
public final class TokenSampler {
    private TokenSampler() {
    }

    /** Index of the largest value in {@code logits[off, off+n)}, ties to the lowest index (as torch.argmax). */
    public static int argmax(float[] logits, int off, int n) {
        int best = 0;
        float bv = logits[off];
        for (int i = 1; i < n; i++) {
            float v = logits[off + i];
            if (v > bv || (Float.isNaN(v) && !Float.isNaN(bv))) {
                bv = v;
                best = i;
            }
        }
        return best;
    }

    /**
     * Samples a token id.
     *
     * @param logits      row-major logits
     * @param off         start of this row
     * @param n           vocabulary size
     * @param temperature &gt; 0 (0 means argmax)
     * @param topP        in (0, 1]
     * @param topK        0 = off
     * @param rng         this row's generator
     */
    public static int sample(float[] logits, int off, int n, float temperature, float topP, int topK, SplittableRandom rng) {
        if (temperature == 0f) {
            return argmax(logits, off, n);
        }
        float max = logits[off + argmax(logits, off, n)];
        if (Float.isNaN(max) || Float.isInfinite(max)) {
            throw new IllegalStateException("logits contain a non-finite maximum (" + max + "); the forward pass diverged");
        }
        double invT = 1.0 / temperature;
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((logits[off + i] - max) * invT);
            w[i] = e;
            total += e;
        }
        int[] kept;
        if (topK > 0 && topK < n) {
            kept = topKIndices(w, topK);
        } else if (topP < 1f) {
            kept = massIndices(w, topP * total);
        } else {
            return draw(w, null, total, rng);
        }
        if (topP < 1f) {
            double sum = 0;
            for (int i : kept) {
                sum += w[i];
            }
            double target = topP * sum;
            double cum = 0;
            int cut = kept.length;
            for (int j = 0; j < kept.length; j++) {
                cum += w[kept[j]];
                if (cum >= target) {
                    cut = j + 1;
                    break;
                }
            }
            kept = Arrays.copyOf(kept, cut);
        }
        double sum = 0;
        for (int i : kept) {
            sum += w[i];
        }
        return draw(w, kept, sum, rng);
    }

    private static int draw(double[] w, int[] kept, double total, SplittableRandom rng) {
        double u = rng.nextDouble() * total;
        double cum = 0;
        if (kept == null) {
            for (int i = 0; i < w.length; i++) {
                cum += w[i];
                if (u < cum) {
                    return i;
                }
            }
            return lastPositive(w);
        }
        for (int i : kept) {
            cum += w[i];
            if (u < cum) {
                return i;
            }
        }
        return kept[kept.length - 1];
    }

    private static int lastPositive(double[] w) {
        for (int i = w.length - 1; i >= 0; i--) {
            if (w[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /** The k largest weights, in descending order (ties: lower index first). */
    static int[] topKIndices(double[] w, int k) {
        // Threshold: the k-th largest value, found by sorting a copy (O(n log n) on primitives only).
        double[] sorted = w.clone();
        Arrays.sort(sorted);
        double kth = sorted[w.length - k];
        int[] cand = new int[k];
        int c = 0;
        for (int i = 0; i < w.length && c < k; i++) {
            if (w[i] > kth) {
                cand[c++] = i;
            }
        }
        for (int i = 0; i < w.length && c < k; i++) {
            if (w[i] == kth) {
                cand[c++] = i;
            }
        }
        return sortDescending(w, cand);
    }

    /**
     * Indices of the largest weights holding at least {@code mass}, in descending order, plus any further index
     * tied with the smallest kept weight. Only the candidates above a threshold are sorted.
     */
    static int[] massIndices(double[] w, double mass) {
        double max = 0;
        for (double v : w) {
            max = Math.max(max, v);
        }
        double tau = max * 1e-3;
        while (true) {
            double sum = 0;
            int count = 0;
            for (double v : w) {
                if (v >= tau) {
                    sum += v;
                    count++;
                }
            }
            if (sum >= mass || tau == 0) {
                int[] cand = new int[count];
                int c = 0;
                for (int i = 0; i < w.length; i++) {
                    if (w[i] >= tau) {
                        cand[c++] = i;
                    }
                }
                return sortDescending(w, cand);
            }
            tau = tau < Double.MIN_NORMAL ? 0 : tau * 1e-3;
        }
    }

    private static int[] sortDescending(double[] w, int[] idx) {
        double[] vals = new double[idx.length];
        Integer[] order = new Integer[idx.length];
        for (int j = 0; j < idx.length; j++) {
            order[j] = j;
            vals[j] = w[idx[j]];
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(vals[b], vals[a]);
            return c != 0 ? c : Integer.compare(idx[a], idx[b]);
        });
        int[] out = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
            out[j] = idx[order[j]];
        }
        return out;
    }
}
