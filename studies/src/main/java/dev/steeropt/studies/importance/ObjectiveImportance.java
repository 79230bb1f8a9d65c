package dev.steeropt.studies.importance;

import dev.steeropt.optimizer.importance.ImportanceMethod;
import dev.steeropt.optimizer.importance.ParamImportances;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Normalised parameter importances of one objective of a study, by one of the optimizer's evaluators (PED-ANOVA,
 * Optuna 5's and optuna-dashboard's default, or fANOVA). The evaluators are single-objective, so objective {@code k}
 * of a multi-objective study is evaluated on its trials with value {@code k} alone, in that objective's direction.
 *
 * @param method which evaluator
 * @param seed   fANOVA's forest seed (PED-ANOVA is deterministic)
 */
public record ObjectiveImportance(ImportanceMethod method, long seed) {
    public ObjectiveImportance {
        Objects.requireNonNull(method, "method");
    }

    /** PED-ANOVA. */
    public static ObjectiveImportance defaults() {
        return new ObjectiveImportance(ImportanceMethod.PED_ANOVA, 0);
    }

    /** The evaluator's command-line name. */
    public String name() {
        return method.cliName();
    }

    /**
     * Importances summing to 1, largest first, over the COMPLETE trials with a finite value of objective
     * {@code objective}; empty with fewer than 2 such trials. Throws {@link IllegalStateException} when the evaluator
     * cannot assess them (fANOVA on values that do not vary).
     */
    public Map<String, Double> evaluate(List<FrozenTrial> trials, List<StudyDirection> directions, int objective) {
        List<FrozenTrial> single = new ArrayList<>();
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE && t.values() != null && t.values().size() == directions.size()
                    && Double.isFinite(t.values().get(objective))) {
                single.add(directions.size() == 1 ? t : new FrozenTrial(t.trialId(), t.number(), t.state(),
                        List.of(t.values().get(objective)), t.datetimeStart(), t.datetimeComplete(), t.params(),
                        t.distributions(), t.userAttrs(), t.systemAttrs(), t.intermediateValues()));
            }
        }
        if (single.size() < 2) {
            return Map.of();
        }
        return ParamImportances.compute(method.create(seed), single, directions.get(objective), true);
    }
}
