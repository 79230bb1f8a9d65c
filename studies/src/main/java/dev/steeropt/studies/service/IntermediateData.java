package dev.steeropt.studies.service;

import java.util.List;

/**
 * {@code GET /api/studies/{study_id}/intermediate_values}: the values each trial reported (or those after
 * {@code ?after=N}), apart from {@link PlotData} so that the history plot does not wait for them.
 *
 * @param intermediate per trial, in the order of {@code numbers}, its reports flattened as [step, value, step, ...]
 * @param nextAfter    as in {@link TrialPage#nextAfter()}
 */
public record IntermediateData(long studyId, List<Integer> numbers, List<String> states,
        List<List<Double>> intermediate, int nextAfter) {}
