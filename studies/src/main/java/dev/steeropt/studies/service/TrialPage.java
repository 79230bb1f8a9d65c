package dev.steeropt.studies.service;

import java.util.List;

/**
 * {@code GET /api/studies/{study_id}/trials}: one page of the trials that match the filter, in the asked order.
 *
 * @param total     trials matching the filter (over all pages)
 * @param nextAfter the largest number N such that every trial numbered N or less is finished: ask again with
 *                  {@code ?after=N} to fetch only what may still change or is new (-1 when trial 0 is unfinished or
 *                  absent)
 */
public record TrialPage(long studyId, int total, int offset, int limit, int nextAfter, List<TrialView> trials) {}
