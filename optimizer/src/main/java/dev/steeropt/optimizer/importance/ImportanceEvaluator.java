package dev.steeropt.optimizer.importance;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.List;
import java.util.Map;

/** One importance algorithm (Optuna's {@code BaseImportanceEvaluator}) for single-objective studies. */
public interface ImportanceEvaluator {

    /**
     * Raw (not normalised) importance of each parameter, largest first. Only COMPLETE trials with a finite value are
     * used; other trials in {@code trials} are ignored.
     *
     * @param direction the study's direction (which values are "better")
     */
    Map<String, Double> evaluate(List<FrozenTrial> trials, StudyDirection direction);
}
