package dev.steeropt.studies.service;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code GET /api/studies}, with optuna-dashboard's key names: a single-objective study carries
 * {@code best_value} (null without a COMPLETE trial), a multi-objective one {@code best_values} (each objective's best
 * over the COMPLETE trials, taken separately: the ends of the Pareto front).
 *
 * @param directions     "minimize" or "maximize" per objective
 * @param nTrialsByState every trial state's count, zeros included
 * @param datetimeStart  the earliest trial start (ISO-8601), null without trials
 * @param lastActivity   the latest trial start or completion, null without trials
 */
@JsonPropertyOrder({"study_id", "study_name", "directions"})
public record StudySummaryView(long studyId, String studyName, List<String> directions,
        @JsonIgnore List<Double> best, int nTrials, Map<String, Integer> nTrialsByState, String datetimeStart,
        String lastActivity) {

    /** {@code best_value} or {@code best_values}, by the number of objectives. */
    @JsonAnyGetter
    public Map<String, Object> bestEntry() {
        if (directions.size() == 1) {
            return Collections.singletonMap("best_value", best.get(0));
        }
        return Collections.singletonMap("best_values", best);
    }
}
