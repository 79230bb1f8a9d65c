package dev.steeropt.studies.service;

import java.util.List;

/** {@code GET /api/studies}. */
public record StudySummaries(List<StudySummaryView> studySummaries) {}
