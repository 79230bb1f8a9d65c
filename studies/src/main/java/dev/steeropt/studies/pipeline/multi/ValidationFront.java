package dev.steeropt.studies.pipeline.multi;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.MultiObjectiveSpec;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * The validation Pareto front of a multi-objective study (its {@link Study#bestTrials()}, Optuna's
 * {@code best_trials}), every COMPLETE point beside it, and the baseline: the unsteered trial #0.
 *
 * @param front    the non-dominated points, by mean tokens ascending (accuracy ascending along it), then trial number
 * @param all      every COMPLETE trial's point, by trial number
 * @param baseline trial #0, the unsteered reference
 */
public record ValidationFront(List<FrontPoint> front, List<FrontPoint> all, FrontPoint baseline) {
    public ValidationFront {
        front = List.copyOf(front);
        all = List.copyOf(all);
    }

    /** The front of {@code study}; its trial #0 must be the COMPLETE unsteered reference. */
    public static ValidationFront of(Study study, MultiObjectiveSpec spec) {
        List<FrozenTrial> complete = study.trials(EnumSet.of(TrialState.COMPLETE));
        FrozenTrial zero = complete.stream().filter(t -> t.number() == 0).findFirst().orElse(null);
        Object alpha = zero == null ? null : zero.params().get("alpha");
        if (zero == null || !(alpha instanceof Number a) || a.doubleValue() != 0) {
            throw UserFacingException.runtime("Study '" + study.name() + "' has no COMPLETE unsteered trial #0",
                    "the selection rules compare with the unsteered baseline, which every multi-objective study"
                            + " evaluates first (trial #0, alpha = 0)" + (zero == null ? "" : "; trial #0 has params "
                            + zero.params()), "Start a new study (another --study-name) with a search space that"
                            + " contains alpha = 0 and temperature = 0.", null);
        }
        List<FrontPoint> front = study.bestTrials().stream().map(t -> FrontPoint.of(t, spec))
                .sorted(Comparator.comparingDouble(FrontPoint::tokens).thenComparingDouble(FrontPoint::accuracy)
                        .thenComparingInt(FrontPoint::trial))
                .toList();
        List<FrontPoint> all = complete.stream().map(t -> FrontPoint.of(t, spec))
                .sorted(Comparator.comparingInt(FrontPoint::trial)).toList();
        return new ValidationFront(front, all, FrontPoint.of(zero, spec));
    }
}
