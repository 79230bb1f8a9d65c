package dev.steeropt.studies.service;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-dominated COMPLETE trials of a multi-objective study (Optuna's {@code best_trials}): no other trial is at
 * least as good on every objective and better on one. Values are turned so that every objective is minimised, the
 * trials sorted lexicographically, and each compared only with the front found so far: a trial's dominator sorts
 * before it, and is on the front or dominated by a front member, so the sweep costs n × |front|.
 */
final class ParetoFront {
    private ParetoFront() {}

    /** Numbers of the front's trials, ascending. */
    static List<Integer> numbers(List<FrozenTrial> trials, List<StudyDirection> dirs) {
        int k = dirs.size();
        List<double[]> points = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (FrozenTrial t : trials) {
            if (t.state() != TrialState.COMPLETE || t.values() == null || t.values().size() != k) {
                continue;
            }
            double[] p = new double[k];
            boolean ok = true;
            for (int i = 0; i < k; i++) {
                double v = t.values().get(i);
                ok &= !Double.isNaN(v);
                p[i] = dirs.get(i) == StudyDirection.MAXIMIZE ? -v : v;
            }
            if (ok) {
                points.add(p);
                numbers.add(t.number());
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> {
            int c = lexicographic(points.get(a), points.get(b));
            return c != 0 ? c : Integer.compare(numbers.get(a), numbers.get(b));
        });
        List<Integer> front = new ArrayList<>();
        for (int i : order) {
            boolean dominated = false;
            for (int f : front) {
                if (dominates(points.get(f), points.get(i))) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(i);
            }
        }
        return front.stream().map(numbers::get).sorted().toList();
    }

    private static int lexicographic(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Double.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** a is no worse everywhere and better somewhere (both minimised). */
    static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            better |= a[i] < b[i];
        }
        return better;
    }
}
