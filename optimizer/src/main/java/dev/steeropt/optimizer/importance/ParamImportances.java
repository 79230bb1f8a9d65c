package dev.steeropt.optimizer.importance;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Optuna's {@code get_param_importances}: evaluate, then optionally normalise to a sum of 1. */
public final class ParamImportances {
    private ParamImportances() {}

    /**
     * Importances, largest first. With {@code normalize} they sum to 1; if every raw importance is 0, each of the
     * {@code n} parameters gets {@code 1/n} (Optuna's rule).
     */
    public static Map<String, Double> compute(ImportanceEvaluator evaluator, List<FrozenTrial> trials,
            StudyDirection direction, boolean normalize) {
        Map<String, Double> raw = evaluator.evaluate(trials, direction);
        if (!normalize) {
            return raw;
        }
        double sum = raw.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, sum == 0.0 ? 1.0 / raw.size() : v / sum));
        return out;
    }

    /** COMPLETE trials whose single value is finite: the trials every evaluator works on. */
    static List<FrozenTrial> usable(List<FrozenTrial> trials) {
        List<FrozenTrial> out = new ArrayList<>();
        for (FrozenTrial t : trials) {
            if (t.state() == TrialState.COMPLETE && t.values() != null && t.values().size() == 1
                    && Double.isFinite(t.values().get(0))) {
                out.add(t);
            }
        }
        return out;
    }

    /** Sorts by importance, largest first; ties by name, so the order is deterministic. */
    static Map<String, Double> sortedByImportance(Map<String, Double> importances) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(importances.entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
