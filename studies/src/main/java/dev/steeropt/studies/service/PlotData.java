package dev.steeropt.studies.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/studies/{study_id}/plot_data}: every trial (or those after {@code ?after=N}) in columns, small
 * enough to draw 10,000 trials at once: entry {@code i} of each list is trial {@code numbers[i]}.
 *
 * @param values       per objective, the value of each trial (null when it has none)
 * @param params       per parameter its distribution and values (null when the trial lacks it)
 * @param pareto       numbers of the COMPLETE trials on the Pareto front (multi-objective studies; else empty)
 * @param nextAfter    as in {@link TrialPage#nextAfter()}
 */
public record PlotData(long studyId, List<String> directions, List<Integer> numbers, List<String> states,
        List<List<Double>> values, Map<String, ParamColumn> params, List<Integer> pareto, int nextAfter) {

    /**
     * One parameter's column.
     *
     * @param distribution Optuna's JSON form ({@code {"name": "FloatDistribution", "attributes": {...}}})
     * @param log          true for a log-scale distribution (the dashboard draws its axes in log scale)
     * @param values       external values per trial
     */
    public record ParamColumn(JsonNode distribution, boolean log, List<Object> values) {}
}
