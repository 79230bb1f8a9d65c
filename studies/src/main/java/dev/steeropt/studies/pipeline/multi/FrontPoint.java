package dev.steeropt.studies.pipeline.multi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.spec.MultiObjectiveSpec;
import dev.steeropt.studies.spec.ObjectiveKind;
import java.util.Map;

/**
 * One COMPLETE trial of a multi-objective study, seen through its two objectives on validation.
 *
 * @param trial    the trial number
 * @param params   its params as stored
 * @param accuracy validation accuracy under the study's metric
 * @param tokens   mean generated tokens per validation item
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FrontPoint(int trial, Map<String, Object> params, double accuracy, double tokens) {
    public FrontPoint {
        params = Map.copyOf(params);
    }

    /** The point of COMPLETE trial {@code t}, its values read in the spec's objective order. */
    static FrontPoint of(FrozenTrial t, MultiObjectiveSpec spec) {
        return new FrontPoint(t.number(), new java.util.LinkedHashMap<>(t.params()),
                t.values().get(spec.index(ObjectiveKind.ACCURACY)), t.values().get(spec.index(ObjectiveKind.TOKENS)));
    }

    /** Whether this point is at least as good as {@code o} on both objectives and better on one. */
    boolean dominates(FrontPoint o) {
        return accuracy >= o.accuracy && tokens <= o.tokens && (accuracy > o.accuracy || tokens < o.tokens);
    }
}
