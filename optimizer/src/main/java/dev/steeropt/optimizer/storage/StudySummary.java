package dev.steeropt.optimizer.storage;

import dev.steeropt.optimizer.study.StudyDirection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One line of the study list: name, directions, trial count and the earliest trial start (null without trials).
 */
public record StudySummary(long studyId, String studyName, List<StudyDirection> directions, int nTrials,
        Instant datetimeStart, Map<String, Object> userAttrs) {
    public StudySummary {
        directions = List.copyOf(directions);
        userAttrs = Map.copyOf(userAttrs);
    }
}
