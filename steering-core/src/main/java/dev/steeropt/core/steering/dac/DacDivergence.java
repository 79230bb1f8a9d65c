package dev.steeropt.core.steering.dac;

import dev.steeropt.core.steering.KlMode;
import dev.steeropt.core.steering.SteeredResult.DacStep;
import java.util.Arrays;

/**
 * DAC's per-token strength from the unsteered and probe logits (steering-reference §2.4 step 3b-c), in float64:
 * the union S of the two top-p nuclei (each the shortest prefix of the sorted distribution whose mass exceeds p, the
 * crossing token kept), both distributions renormalised on S, {@code D = KL(ũ‖p̃)} (÷|S| in REFERENCE mode, tokens
 * with ũ = 0 skipped), and {@code α = clip(D, 0, α_max)}.
 */
public final class DacDivergence {
    private DacDivergence() {}

    /**
     * @param zu       unsteered logits, row at {@code [offU, offU + n)}
     * @param zp       probe logits, row at {@code [offP, offP + n)}
     * @param topP     nucleus mass p in (0, 1]
     * @param alphaMax clip bound
     */
    public static DacStep compute(float[] zu, int offU, float[] zp, int offP, int n, double topP, KlMode mode, double alphaMax) {
        double[] lu = logSoftmax(zu, offU, n);
        double[] lp = logSoftmax(zp, offP, n);
        boolean[] inS = new boolean[n];
        markNucleus(lu, topP, inS);
        markNucleus(lp, topP, inS);
        int size = 0;
        double maxU = Double.NEGATIVE_INFINITY;
        double maxP = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (inS[i]) {
                size++;
                maxU = Math.max(maxU, lu[i]);
                maxP = Math.max(maxP, lp[i]);
            }
        }
        double su = 0;
        double sp = 0;
        for (int i = 0; i < n; i++) {
            if (inS[i]) {
                su += Math.exp(lu[i] - maxU);
                sp += Math.exp(lp[i] - maxP);
            }
        }
        double lseU = maxU + Math.log(su);
        double lseP = maxP + Math.log(sp);
        double kl = 0;
        for (int i = 0; i < n; i++) {
            if (!inS[i]) {
                continue;
            }
            double logU = lu[i] - lseU;
            double u = Math.exp(logU);
            if (u == 0) {
                continue;
            }
            kl += u * (logU - (lp[i] - lseP));
        }
        double d = mode == KlMode.REFERENCE ? kl / size : kl;
        double alpha = Math.min(Math.max(d, 0), alphaMax);
        return new DacStep(d, alpha, size);
    }

    static double[] logSoftmax(float[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z[off + i]);
        }
        if (!Double.isFinite(max)) {
            throw new IllegalStateException("logits have a non-finite maximum (" + max + "); the forward pass diverged");
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(z[off + i] - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = z[off + i] - lse;
        }
        return out;
    }

    /**
     * Marks the top-p nucleus of a log-distribution: tokens in descending probability (ties to the lower id) up to and
     * including the first whose cumulative mass exceeds p. Only tokens above a threshold are sorted; the threshold is
     * lowered until they hold more than p (or every token is a candidate).
     */
    static void markNucleus(double[] logp, double p, boolean[] mark) {
        int n = logp.length;
        double[] prob = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            prob[i] = Math.exp(logp[i]);
            max = Math.max(max, prob[i]);
        }
        double tau = max * 1e-3;
        int[] cand;
        while (true) {
            int count = 0;
            double mass = 0;
            for (double v : prob) {
                if (v >= tau) {
                    count++;
                    mass += v;
                }
            }
            if (mass > p || tau == 0) {
                cand = new int[count];
                int c = 0;
                for (int i = 0; i < n; i++) {
                    if (prob[i] >= tau) {
                        cand[c++] = i;
                    }
                }
                break;
            }
            tau = tau < Double.MIN_NORMAL ? 0 : tau * 1e-3;
        }
        Integer[] order = new Integer[cand.length];
        for (int j = 0; j < cand.length; j++) {
            order[j] = cand[j];
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(prob[b], prob[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        double cum = 0;
        for (int idx : order) {
            mark[idx] = true;
            cum += prob[idx];
            if (cum > p) {
                break;
            }
        }
    }
}
