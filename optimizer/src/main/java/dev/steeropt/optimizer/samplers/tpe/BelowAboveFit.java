package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.List;

/**
 * What one TPE step fits its two Parzen estimators to ({@link TpeSampler.Fit}): the learning trials split into the
 * best {@code gamma(n)} ("below") and the rest ("above"), and the observation matrices of both.
 *
 * <p>When every learning trial is COMPLETE and there is one objective, the split walks the study's
 * {@link ValueRanking} (the same below set as {@link TpeSplit}), the observations' sorted orders come from
 * {@link FinishedTrialRows}, and the best trial's kernel is located for the local candidates. Otherwise (PRUNED or
 * RUNNING trials, several objectives) {@link TpeSplit} splits, without orders or local candidates.
 */
final class BelowAboveFit {
    private final TpeOptions options;

    BelowAboveFit(TpeOptions options) {
        this.options = options;
    }

    /**
     * The fit of {@code trials} over the params {@code names}; {@code needOrders} asks for the sorted orders (they
     * serve numeric bandwidths only).
     */
    TpeSampler.Fit fit(Study study, StudyHistory h, List<FrozenTrial> trials, List<String> names,
            boolean needOrders) {
        int n = 0;
        boolean allComplete = true;
        for (FrozenTrial t : trials) { // one pass: finished count, and whether the ranking fast path applies
            TrialState st = t.state();
            n += st != TrialState.RUNNING ? 1 : 0;
            allComplete &= st == TrialState.COMPLETE;
        }
        boolean liar = options.constantLiar();
        if (allComplete && study.directions().size() == 1) {
            boolean maximise = study.directions().get(0) == StudyDirection.MAXIMIZE;
            boolean[] isBelow = h.ranking.below(trials, nBelow(study, n), maximise);
            List<FrozenTrial> b = new ArrayList<>();
            List<FrozenTrial> a = new ArrayList<>();
            for (FrozenTrial t : trials) {
                (isBelow[t.number()] ? b : a).add(t);
            }
            int bestKernel = options.localCandidates() > 0 ? bestObservation(h, b, names) : -1;
            double[][] bObs = ObservationMatrix.of(h.rows, b, names, liar);
            double[][] aObs = ObservationMatrix.of(h.rows, a, names, liar);
            return new TpeSampler.Fit(b, a, bObs, aObs, bestKernel,
                    needOrders ? h.rows.orders(b, names, bObs[0].length) : null,
                    needOrders ? h.rows.orders(a, names, aObs[0].length) : null);
        }
        TpeSplit.Result split = TpeSplit.split(trials, nBelow(study, n), study.directions());
        return new TpeSampler.Fit(split.below(), split.above(),
                ObservationMatrix.of(h.rows, split.below(), names, liar),
                ObservationMatrix.of(h.rows, split.above(), names, liar), -1, null, null);
    }

    /** Number of below trials for {@code n} finished ones: the configured gamma, else Optuna 5.0's default. */
    private int nBelow(Study study, int n) {
        if (options.gamma() != null) {
            return options.gamma().applyAsInt(n);
        }
        return study.directions().size() > 1 ? TpeDefaults.gammaMultiObjective(n) : TpeDefaults.gamma(n);
    }

    /**
     * Position, among the observations built from {@code below} (those having every param of {@code names}), of the
     * trial with the best value; -1 if none.
     */
    private int bestObservation(StudyHistory h, List<FrozenTrial> below, List<String> names) {
        int pos = 0;
        int bestPos = -1;
        int bestRank = Integer.MAX_VALUE;
        for (FrozenTrial t : below) {
            if (ObservationMatrix.row(h.rows, t, names, options.constantLiar()) == null) {
                continue;
            }
            int r = h.ranking.rankOf(t.number());
            if (r < bestRank) {
                bestRank = r;
                bestPos = pos;
            }
            pos++;
        }
        return bestPos;
    }
}
