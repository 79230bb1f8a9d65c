package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A study's COMPLETE trials ranked by (value in minimisation sense, number), the order of Optuna's stable sort, grown
 * one trial at a time as trials finish. It gives the single-objective below set without a sort per call.
 */
final class ValueRanking {
    /** COMPLETE trial numbers sorted by (key, number), and their keys. */
    private int[] ranked = new int[64];
    private double[] rankedKey = new double[64];
    private int nRanked;
    private final BitSet rankedSeen = new BitSet();

    /** Adds COMPLETE trial {@code t} to the ranking (once); {@code key} is its value, negated when maximising. */
    void rank(FrozenTrial t, double key) {
        int n = t.number();
        if (rankedSeen.get(n)) {
            return;
        }
        rankedSeen.set(n);
        if (nRanked == ranked.length) {
            ranked = Arrays.copyOf(ranked, 2 * nRanked);
            rankedKey = Arrays.copyOf(rankedKey, 2 * nRanked);
        }
        int lo = 0;
        int hi = nRanked;
        while (lo < hi) { // first position whose (key, number) is greater than (key, n)
            int mid = (lo + hi) >>> 1;
            int c = Double.compare(rankedKey[mid], key);
            if (c < 0 || (c == 0 && ranked[mid] < n)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        System.arraycopy(ranked, lo, ranked, lo + 1, nRanked - lo);
        System.arraycopy(rankedKey, lo, rankedKey, lo + 1, nRanked - lo);
        ranked[lo] = n;
        rankedKey[lo] = key;
        nRanked++;
    }

    /** Position of trial {@code number} in the ranking (linear scan; the ranking has one entry per trial). */
    int rankOf(int number) {
        for (int i = 0; i < nRanked; i++) {
            if (ranked[i] == number) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * The same below set as {@link TpeSplit#split} for COMPLETE single-objective {@code trials} (best {@code nBelow}
     * by value, ties by number), as a flag per trial number; ranks those not ranked yet first.
     */
    boolean[] below(List<FrozenTrial> trials, int nBelow, boolean maximise) {
        int maxNumber = 0;
        for (FrozenTrial t : trials) {
            rank(t, maximise ? -t.value() : t.value());
            maxNumber = Math.max(maxNumber, t.number());
        }
        boolean[] member = new boolean[maxNumber + 1];
        for (FrozenTrial t : trials) {
            member[t.number()] = true;
        }
        boolean[] isBelow = new boolean[maxNumber + 1];
        for (int i = 0, taken = 0; i < nRanked && taken < nBelow; i++) {
            int num = ranked[i];
            if (num <= maxNumber && member[num]) {
                isBelow[num] = true;
                taken++;
            }
        }
        return isBelow;
    }
}
