package dev.steeropt.studies.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/studies/{study_id}}.
 *
 * @param summary          the study's line of the study list
 * @param metricNames      the objectives' names when the study set them (Optuna's {@code study:metric_names}), else
 *                         null
 * @param bestTrials       numbers of the best COMPLETE trial (single objective) or of the Pareto front
 * @param searchSpace      every parameter seen, with its distribution in Optuna's JSON form
 * @param note             the study's note (see {@code PUT /api/studies/{study_id}/note}), or null
 * @param testEvaluation   whether {@code optimize} recorded a test evaluation
 * @param artifactsDir     the directory of the study's artifacts, or null when none was recorded
 */
public record StudyDetail(StudySummaryView summary, List<String> metricNames, Map<String, Object> userAttrs,
        List<Integer> bestTrials, Map<String, JsonNode> searchSpace, String note, boolean testEvaluation,
        String artifactsDir) {}
