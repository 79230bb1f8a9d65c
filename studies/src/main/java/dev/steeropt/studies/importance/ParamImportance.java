package dev.steeropt.studies.importance;

import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.List;
import java.util.Map;

/**
 * What the service, the dashboard and {@code plot --kind importance} need of a parameter-importance evaluator: one
 * objective's importances over a study's COMPLETE trials. The optimizer module's evaluators (PED-ANOVA, fANOVA) are
 * adapted to this when they land; until then {@link RankCorrelationImportance} fills it.
 */
public interface ParamImportance {
    /** The evaluator's name, reported beside its values. */
    String name();

    /**
     * Importances of the parameters present in every trial of {@code completed} (which all have values), for
     * objective {@code objective}: non-negative, summing to 1 (all 0 when nothing varies), largest first.
     */
    Map<String, Double> evaluate(List<FrozenTrial> completed, int objective);
}
