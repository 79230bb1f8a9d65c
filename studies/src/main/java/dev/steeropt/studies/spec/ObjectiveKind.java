package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.steeropt.optimizer.study.StudyDirection;

/**
 * The objectives of a multi-objective study ({@code optimize --objectives accuracy,tokens}), each with its direction.
 * Names at the edges as in {@link #wireName}.
 */
public enum ObjectiveKind implements WireName {
    /** {@code accuracy}: validation accuracy under the study's metric, maximised. */
    ACCURACY(StudyDirection.MAXIMIZE),
    /** {@code tokens}: mean generated tokens per validation item, minimised (shorter reasoning is cheaper to serve). */
    TOKENS(StudyDirection.MINIMIZE);

    private final StudyDirection direction;

    ObjectiveKind(StudyDirection direction) {
        this.direction = direction;
    }

    /** Whether the objective is maximised or minimised. */
    public StudyDirection direction() {
        return direction;
    }

    /** The objective named {@code name}, case-insensitively. */
    @JsonCreator
    public static ObjectiveKind parse(String name) {
        return WireName.parse(ObjectiveKind.class, "objective", name);
    }
}
