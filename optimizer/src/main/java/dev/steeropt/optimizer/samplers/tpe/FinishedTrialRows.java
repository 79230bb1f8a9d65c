package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The internal param values of a study's finished trials as a table: one row per trial number, one column per param
 * name (NaN where the trial lacks the param), read from a trial on first use. Finished trials never change, so a row
 * is never re-read, only widened when a newer trial brings a new param. Each column also keeps its trials sorted by
 * value, so that the observations' order per param (for the neighbour-gap bandwidths) needs no sort.
 *
 * <p>Column numbers are given in the order params are first seen and never change.
 */
final class FinishedTrialRows {
    private final Map<String, Integer> columns = new HashMap<>();
    /** rows[number] = internal values by column (NaN = the trial lacks the param), null = not read yet. */
    private double[][] rows = new double[64][];
    /** sorted[c] = numbers of the finished trials having param c, by (value, number): a stable sort's order. */
    private int[][] sorted = new int[8][];
    private int[] sortedLen = new int[8];

    /** The column of param {@code name}, or -1 if no row read so far has it. */
    int columnOf(String name) {
        Integer c = columns.get(name);
        return c == null ? -1 : c;
    }

    /** The columns of {@code names}, -1 for those not known yet (see {@link #resolve}). */
    int[] columnsOf(List<String> names) {
        int[] cols = new int[names.size()];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = columnOf(names.get(j));
        }
        return cols;
    }

    /**
     * {@code cols[j]}, the column of {@code name}; if it was unknown when {@code cols} was filled, it is looked up
     * again (reading a newer trial's row may have added it since) and, if found, stored back. -1 if still unknown.
     */
    int resolve(int[] cols, int j, String name) {
        if (cols[j] >= 0) {
            return cols[j];
        }
        Integer c = columns.get(name);
        if (c != null) {
            cols[j] = c;
        }
        return c == null ? -1 : c;
    }

    /**
     * The row of finished trial {@code t}, read on first use and widened when new params appear (may add columns,
     * never renumbers them). Index it by {@link #columnOf}; columns beyond its length are missing.
     */
    double[] row(FrozenTrial t) {
        int n = t.number();
        if (n >= rows.length) {
            rows = Arrays.copyOf(rows, Math.max(n + 1, 2 * rows.length));
        }
        double[] r = rows[n];
        if (r == null || r.length < columns.size()) {
            for (String name : t.distributions().keySet()) {
                addColumn(name);
            }
            boolean first = r == null;
            r = new double[columns.size()];
            Arrays.fill(r, Double.NaN);
            for (Map.Entry<String, Distribution> e : t.distributions().entrySet()) {
                r[columns.get(e.getKey())] = e.getValue().toInternal(t.params().get(e.getKey()));
            }
            rows[n] = r;
            if (first) { // a re-read only widens the row with params this (finished) trial does not have
                for (int c = 0; c < r.length; c++) {
                    if (!Double.isNaN(r[c])) {
                        insertSorted(c, n, r[c]);
                    }
                }
            }
        }
        return r;
    }

    private int addColumn(String name) {
        Integer c = columns.get(name);
        if (c == null) {
            c = columns.size();
            columns.put(name, c);
        }
        return c;
    }

    private void insertSorted(int c, int number, double value) {
        if (c >= sorted.length) {
            sorted = Arrays.copyOf(sorted, Math.max(c + 1, 2 * sorted.length));
            sortedLen = Arrays.copyOf(sortedLen, sorted.length);
        }
        int len = sortedLen[c];
        int[] a = sorted[c];
        if (a == null || a.length == len) {
            a = a == null ? new int[64] : Arrays.copyOf(a, 2 * len);
            sorted[c] = a;
        }
        int lo = 0;
        int hi = len;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double mv = rows[a[mid]][c];
            if (mv < value || (mv == value && a[mid] < number)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        System.arraycopy(a, lo, a, lo + 1, len - lo);
        a[lo] = number;
        sortedLen[c] = len + 1;
    }

    /**
     * Per param of {@code names}, the ascending order of the {@code nObs} observations {@link ObservationMatrix#of}
     * builds from the finished trials {@code trials} (indices into them), read off the sorted columns; null if
     * unavailable.
     */
    int[][] orders(List<FrozenTrial> trials, List<String> names, int nObs) {
        int maxNumber = 0;
        for (FrozenTrial t : trials) {
            maxNumber = Math.max(maxNumber, t.number());
        }
        int d = names.size();
        int[] cols = new int[d];
        for (int j = 0; j < d; j++) {
            int c = columnOf(names.get(j));
            if (c < 0) {
                return null;
            }
            cols[j] = c;
        }
        int[] pos = new int[maxNumber + 1];
        Arrays.fill(pos, -1);
        int k = 0;
        for (FrozenTrial t : trials) {
            double[] r = rows[t.number()];
            boolean complete = r != null;
            for (int j = 0; j < d && complete; j++) {
                complete = cols[j] < r.length && !Double.isNaN(r[cols[j]]);
            }
            if (complete) {
                pos[t.number()] = k++;
            }
        }
        if (k != nObs) {
            return null;
        }
        int[][] out = new int[d][];
        for (int j = 0; j < d; j++) {
            int c = cols[j];
            int[] order = new int[nObs];
            int m = 0;
            int[] a = c < sorted.length ? sorted[c] : null;
            for (int i = 0; a != null && i < sortedLen[c]; i++) {
                int num = a[i];
                if (num <= maxNumber && pos[num] >= 0) {
                    order[m++] = pos[num];
                }
            }
            if (m != nObs) {
                return null;
            }
            out[j] = order;
        }
        return out;
    }
}
