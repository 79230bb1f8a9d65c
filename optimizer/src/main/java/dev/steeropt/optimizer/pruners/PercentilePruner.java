package dev.steeropt.optimizer.pruners;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SortedMap;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * Prunes a trial whose best intermediate value is worse than a percentile of what the COMPLETE trials reported at the
 * same step (Optuna's {@code PercentilePruner}, reference §3.1).
 *
 * <p>Decision, in order: keep if fewer than {@code nStartupTrials} (or zero) trials are COMPLETE; keep if the trial
 * reported nothing, or its last step is below {@code nWarmupSteps}; keep unless this is the first report at or after
 * an interval checkpoint ({@code warmup + k*intervalSteps}); prune if every reported value is NaN; keep if fewer than
 * {@code nMinTrials} COMPLETE trials reported at this step; else prune iff the trial's best value is strictly worse
 * than the linear-interpolated percentile (NaNs ignored; {@code 100 - percentile} when maximising). Immutable.
 */
public class PercentilePruner implements Pruner {
    /** numpy's default {@code method='linear'} percentile (Hyndman–Fan 7), as Optuna's {@code np.nanpercentile}. */
    private static final Quantile LINEAR = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).withCopy(true);
    private final double percentile;
    private final int nStartupTrials;
    private final int nWarmupSteps;
    private final int intervalSteps;
    private final int nMinTrials;

    /**
     * @param percentile     in [0, 100]
     * @param nStartupTrials no pruning until this many trials are COMPLETE (Optuna default 5); >= 0
     * @param nWarmupSteps   no pruning before this step (default 0); >= 0
     * @param intervalSteps  judge only the first report of each interval (default 1); >= 1
     * @param nMinTrials     minimum COMPLETE trials that reported at the step (default 1); >= 1
     */
    public PercentilePruner(double percentile, int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        if (nStartupTrials < 0 || nWarmupSteps < 0) {
            throw new IllegalArgumentException("nStartupTrials and nWarmupSteps must be >= 0, got " + nStartupTrials
                    + " and " + nWarmupSteps);
        }
        if (intervalSteps < 1 || nMinTrials < 1) {
            throw new IllegalArgumentException("intervalSteps and nMinTrials must be >= 1, got " + intervalSteps
                    + " and " + nMinTrials);
        }
        this.percentile = percentile;
        this.nStartupTrials = nStartupTrials;
        this.nWarmupSteps = nWarmupSteps;
        this.intervalSteps = intervalSteps;
        this.nMinTrials = nMinTrials;
    }

    /** Optuna's defaults around {@code percentile}: 5 start-up trials, no warm-up, interval 1, 1 min trial. */
    public PercentilePruner(double percentile) {
        this(percentile, 5, 0, 1, 1);
    }

    @Override
    public boolean prune(Study study, FrozenTrial trial) {
        List<FrozenTrial> completed = study.trials(EnumSet.of(TrialState.COMPLETE));
        List<SortedMap<Integer, Double>> curves = new ArrayList<>(completed.size());
        for (FrozenTrial t : completed) {
            curves.add(t.intermediateValues());
        }
        return decide(study.direction(), curves, trial.intermediateValues());
    }

    /** The decision on plain data: the COMPLETE trials' curves and the current trial's curve. */
    public boolean decide(StudyDirection direction, List<SortedMap<Integer, Double>> completed,
            SortedMap<Integer, Double> current) {
        int n = completed.size();
        if (n == 0 || n < nStartupTrials) {
            return false;
        }
        if (current.isEmpty()) {
            return false;
        }
        int step = current.lastKey();
        if (step < nWarmupSteps) {
            return false;
        }
        int checkpoint = Math.floorDiv(step - nWarmupSteps, intervalSteps) * intervalSteps + nWarmupSteps;
        int previous = -1;
        for (int s : current.keySet()) {
            if (s != step && s > previous) {
                previous = s;
            }
        }
        if (previous >= checkpoint) {
            return false;
        }
        double best = Double.NaN;
        for (double v : current.values()) {
            if (!Double.isNaN(v) && (Double.isNaN(best)
                    || (direction == StudyDirection.MAXIMIZE ? v > best : v < best))) {
                best = v;
            }
        }
        if (Double.isNaN(best)) {
            return true;
        }
        double ref = percentileAtStep(completed, step, direction == StudyDirection.MAXIMIZE ? 100 - percentile
                : percentile);
        if (Double.isNaN(ref)) {
            return false;
        }
        return direction == StudyDirection.MAXIMIZE ? best < ref : best > ref;
    }

    private double percentileAtStep(List<SortedMap<Integer, Double>> completed, int step, double q) {
        double[] vals = new double[completed.size()];
        int count = 0;
        int nonNan = 0;
        for (SortedMap<Integer, Double> c : completed) {
            Double v = c.get(step);
            if (v != null) {
                count++;
                if (!Double.isNaN(v)) {
                    vals[nonNan++] = v;
                }
            }
        }
        if (count < nMinTrials || nonNan == 0) {
            return Double.NaN;
        }
        return LINEAR.evaluate(Arrays.copyOf(vals, nonNan), q / 100.0);
    }
}
