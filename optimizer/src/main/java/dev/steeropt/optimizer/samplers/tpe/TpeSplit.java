package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Optuna's below/above split of the trials a TPE step learns from (reference §2.3, {@code _split_trials}).
 *
 * <p>Single objective: below is filled with the best COMPLETE trials (stable sort by value), then the best PRUNED
 * trials (later last step first, then better last value; NaN counts as +inf; no intermediate values ranks last).
 * RUNNING trials always go above. Multi-objective: below is filled by non-dominated rank; within the rank that does
 * not fit whole, two objectives are tie-broken as Optuna does, by greedy hypervolume subset selection
 * ({@link #hssp2d}); three or more by crowding distance (Optuna: hypervolume selection there too). Both lists come
 * back sorted by trial number.
 */
public final class TpeSplit {
    private TpeSplit() {}

    /** The result: trials below (good) and above (the rest), each in number order. */
    public record Result(List<FrozenTrial> below, List<FrozenTrial> above) {
        public Result {
            below = List.copyOf(below);
            above = List.copyOf(above);
        }
    }

    /** Splits {@code trials} (COMPLETE, PRUNED and possibly RUNNING) so that {@code nBelow} go below. */
    public static Result split(List<FrozenTrial> trials, int nBelow, List<StudyDirection> directions) {
        List<FrozenTrial> complete = new ArrayList<>();
        List<FrozenTrial> pruned = new ArrayList<>();
        List<FrozenTrial> running = new ArrayList<>();
        for (FrozenTrial t : trials) {
            switch (t.state()) {
                case COMPLETE -> complete.add(t);
                case PRUNED -> pruned.add(t);
                case RUNNING -> running.add(t);
                default -> { } // FAIL and WAITING are never used
            }
        }
        List<FrozenTrial> below = new ArrayList<>();
        List<FrozenTrial> above = new ArrayList<>(running);
        List<FrozenTrial> rankedComplete = directions.size() == 1 ? sortComplete(complete, directions.get(0))
                : rankMultiObjective(complete, directions, nBelow);
        int take = Math.min(nBelow, rankedComplete.size());
        below.addAll(rankedComplete.subList(0, take));
        above.addAll(rankedComplete.subList(take, rankedComplete.size()));
        int rest = nBelow - take;
        List<FrozenTrial> rankedPruned = sortPruned(pruned, directions.get(0));
        int takeP = Math.max(0, Math.min(rest, rankedPruned.size()));
        below.addAll(rankedPruned.subList(0, takeP));
        above.addAll(rankedPruned.subList(takeP, rankedPruned.size()));
        Comparator<FrozenTrial> byNumber = Comparator.comparingInt(FrozenTrial::number);
        below.sort(byNumber);
        above.sort(byNumber);
        return new Result(below, above);
    }

    static List<FrozenTrial> sortComplete(List<FrozenTrial> complete, StudyDirection dir) {
        List<FrozenTrial> out = new ArrayList<>(complete);
        Comparator<FrozenTrial> c = Comparator.comparingDouble(t -> dir == StudyDirection.MAXIMIZE ? -t.value()
                : t.value());
        out.sort(c); // List.sort is stable: ties keep number order
        return out;
    }

    static List<FrozenTrial> sortPruned(List<FrozenTrial> pruned, StudyDirection dir) {
        List<FrozenTrial> out = new ArrayList<>(pruned);
        out.sort((a, b) -> {
            double[] ka = prunedKey(a, dir);
            double[] kb = prunedKey(b, dir);
            int c = Double.compare(ka[0], kb[0]);
            return c != 0 ? c : Double.compare(ka[1], kb[1]);
        });
        return out;
    }

    private static double[] prunedKey(FrozenTrial t, StudyDirection dir) {
        if (t.intermediateValues().isEmpty()) {
            return new double[] {1, 0};
        }
        int step = t.intermediateValues().lastKey();
        double v = t.intermediateValues().get(step);
        if (Double.isNaN(v)) {
            return new double[] {-step, Double.POSITIVE_INFINITY};
        }
        return new double[] {-step, dir == StudyDirection.MAXIMIZE ? -v : v};
    }

    /** COMPLETE trials ordered by non-dominated rank; the rank straddling {@code nBelow} by crowding distance. */
    static List<FrozenTrial> rankMultiObjective(List<FrozenTrial> complete, List<StudyDirection> dirs, int nBelow) {
        int n = complete.size();
        double[][] v = new double[n][dirs.size()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dirs.size(); k++) {
                double x = complete.get(i).values().get(k);
                v[i][k] = dirs.get(k) == StudyDirection.MAXIMIZE ? -x : x;
            }
        }
        int[] rank = nonDominatedRanks(v);
        List<FrozenTrial> out = new ArrayList<>(n);
        int maxRank = Arrays.stream(rank).max().orElse(-1);
        for (int r = 0; r <= maxRank; r++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rank[i] == r) {
                    members.add(i);
                }
            }
            if (out.size() < nBelow && out.size() + members.size() > nBelow) {
                int need = nBelow - out.size();
                List<Integer> chosen = dirs.size() == 2 ? hssp2d(members, v, need) : byCrowding(members, v);
                for (int i : chosen) {
                    out.add(complete.get(i));
                }
                for (int i : members) {
                    if (!chosen.contains(i)) {
                        out.add(complete.get(i));
                    }
                }
            } else {
                for (int i : members) {
                    out.add(complete.get(i));
                }
            }
        }
        return out;
    }

    /** The members of a rank by crowding distance, largest first (the tie-break for three or more objectives). */
    private static List<Integer> byCrowding(List<Integer> members, double[][] v) {
        double[] crowd = crowding(members, v);
        Integer[] order = new Integer[members.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(crowd[b], crowd[a]));
        List<Integer> out = new ArrayList<>();
        for (int i : order) {
            out.add(members.get(i));
        }
        return out;
    }

    /**
     * Optuna's two-objective tie-break ({@code _solve_hssp} with {@code _solve_hssp_2d}): greedy hypervolume subset
     * selection of {@code k} of the rank's {@code members} (minimised values {@code v}) against the reference point
     * max(1.1 worst, 0.9 worst) per objective (0 becomes 1e-12). Points are taken uniquely in lexicographic order of
     * their values (numpy's {@code unique}); each step picks the largest exclusive contribution, whose rectangle's
     * far corner is cut by the points already chosen. With fewer unique points than {@code k}, every unique point
     * plus the first duplicates in member order. Returns member indices, in selection order.
     */
    static List<Integer> hssp2d(List<Integer> members, double[][] v, int k) {
        double[] ref = new double[2];
        for (int d = 0; d < 2; d++) {
            double worst = Double.NEGATIVE_INFINITY;
            for (int i : members) {
                worst = Math.max(worst, v[i][d]);
            }
            ref[d] = Math.max(1.1 * worst, 0.9 * worst);
            if (ref[d] == 0) {
                ref[d] = 1e-12;
            }
        }
        List<Integer> unique = new ArrayList<>(members);
        unique.sort(Comparator.<Integer>comparingDouble(i -> v[i][0]).thenComparingDouble(i -> v[i][1])
                .thenComparingInt(i -> members.indexOf(i)));
        List<Integer> dedup = new ArrayList<>();
        for (int i : unique) {
            int last = dedup.isEmpty() ? -1 : dedup.get(dedup.size() - 1);
            if (last < 0 || v[last][0] != v[i][0] || v[last][1] != v[i][1]) {
                dedup.add(i);
            }
        }
        if (dedup.size() < k) {
            List<Integer> out = new ArrayList<>(dedup);
            for (int i : members) {
                if (out.size() < k && !dedup.contains(i)) {
                    out.add(i);
                }
            }
            return out;
        }
        int n = dedup.size();
        List<Integer> idx = new ArrayList<>(dedup);
        double[][] diag = new double[n][];
        for (int j = 0; j < n; j++) {
            diag[j] = ref.clone();
        }
        List<double[]> diags = new ArrayList<>(List.of(diag));
        List<Integer> out = new ArrayList<>();
        for (int step = 0; step < k; step++) {
            int best = 0;
            double bestContrib = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < idx.size(); j++) {
                double[] p = v[idx.get(j)];
                double c = (diags.get(j)[0] - p[0]) * (diags.get(j)[1] - p[1]);
                if (c > bestContrib) { // first maximum, as numpy's argmax
                    bestContrib = c;
                    best = j;
                }
            }
            double[] chosen = v[idx.get(best)];
            out.add(idx.remove(best));
            diags.remove(best);
            for (int j = 0; j < idx.size(); j++) {
                if (j < best) {
                    diags.get(j)[0] = Math.min(chosen[0], diags.get(j)[0]);
                } else {
                    diags.get(j)[1] = Math.min(chosen[1], diags.get(j)[1]);
                }
            }
        }
        return out;
    }

    /** Rank 0 = non-dominated, rank 1 = non-dominated once rank 0 is removed, ... (all objectives minimised). */
    public static int[] nonDominatedRanks(double[][] v) {
        int n = v.length;
        int[] rank = new int[n];
        Arrays.fill(rank, -1);
        int assigned = 0;
        for (int r = 0; assigned < n; r++) {
            List<Integer> front = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rank[i] >= 0) {
                    continue;
                }
                boolean dominated = false;
                for (int j = 0; j < n && !dominated; j++) {
                    if (j != i && (rank[j] < 0 || rank[j] == r) && dominatesMin(v[j], v[i])) {
                        dominated = true;
                    }
                }
                if (!dominated) {
                    front.add(i);
                }
            }
            for (int i : front) {
                rank[i] = r;
            }
            assigned += front.size();
        }
        return rank;
    }

    private static boolean dominatesMin(double[] a, double[] b) {
        boolean strictly = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] > b[k]) {
                return false;
            }
            if (a[k] < b[k]) {
                strictly = true;
            }
        }
        return strictly;
    }

    private static double[] crowding(List<Integer> members, double[][] v) {
        int m = members.size();
        double[] d = new double[m];
        int dims = v[members.get(0)].length;
        for (int k = 0; k < dims; k++) {
            final int kk = k;
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> v[members.get(i)][kk]));
            double lo = v[members.get(order[0])][k];
            double hi = v[members.get(order[m - 1])][k];
            d[order[0]] = Double.POSITIVE_INFINITY;
            d[order[m - 1]] = Double.POSITIVE_INFINITY;
            if (hi > lo) {
                for (int i = 1; i < m - 1; i++) {
                    d[order[i]] += (v[members.get(order[i + 1])][k] - v[members.get(order[i - 1])][k]) / (hi - lo);
                }
            }
        }
        return d;
    }

    /** Whether a trial counts toward {@code n} (COMPLETE or PRUNED, not RUNNING). */
    static boolean isFinishedForSplit(FrozenTrial t) {
        return t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED;
    }

    /** Convenience for tests and tools: the split of a study's finished trials. */
    public static Result split(Study study, int nBelow) {
        return split(study.trials(java.util.EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED)), nBelow,
                study.directions());
    }
}
