package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.samplers.IntersectionSearchSpace;

/**
 * What a {@link TpeSampler} remembers about one study between calls, so that each call reads only the new trials.
 * Everything is derived from finished trials, which never change: their internal param values
 * ({@link FinishedTrialRows}), the COMPLETE trials ranked by value for the single-objective split
 * ({@link ValueRanking}), and the intersection search space ({@link IntersectionSearchSpace}).
 */
final class StudyHistory {
    final FinishedTrialRows rows = new FinishedTrialRows();
    final ValueRanking ranking = new ValueRanking();
    final IntersectionSearchSpace intersection = new IntersectionSearchSpace();
}
