package dev.steeropt.studies.service;

import dev.steeropt.optimizer.trial.FrozenTrial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One trial as the API gives it (Optuna's field names; times ISO-8601 UTC; non-finite numbers as null).
 *
 * @param values             objective values, null unless finished with values
 * @param intermediateValues reported steps in step order
 * @param durationSeconds    completion minus start, null while either is missing
 * @param params             external values by name, in suggestion order
 * @param failReason         why a FAIL trial failed, when recorded
 */
public record TrialView(long trialId, int number, String state, List<Double> values,
        List<Step> intermediateValues, String datetimeStart, String datetimeComplete, Double durationSeconds,
        Map<String, Object> params, Map<String, Object> userAttrs, Object failReason) {

    /** One reported value. */
    public record Step(int step, Double value) {}

    static TrialView of(FrozenTrial t) {
        List<Step> steps = new ArrayList<>(t.intermediateValues().size());
        t.intermediateValues().forEach((s, v) -> steps.add(new Step(s, v)));
        return new TrialView(t.trialId(), t.number(), t.state().name(), t.values(), steps, time(t.datetimeStart()),
                time(t.datetimeComplete()), duration(t), t.params(), t.userAttrs(), t.systemAttrs().get("fail_reason"));
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    static Double duration(FrozenTrial t) {
        return t.datetimeStart() == null || t.datetimeComplete() == null ? null
                : (t.datetimeComplete().toEpochMilli() - t.datetimeStart().toEpochMilli()) / 1e3;
    }
}
