package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The multi-objective part of a {@link StudySpec} ({@code --objectives accuracy,tokens}): the objectives in direction
 * order, the pre-registered {@link SelectionRule}, and how many further front points the test evaluates beside the
 * chosen one ({@code --test-also}). Part of the study's identity, so none of it changes on resume.
 *
 * @param objectives the objectives, both of {@link ObjectiveKind}, each once
 * @param selection  how the tested configuration is chosen from the validation front
 * @param testAlso   further front points, next by the same rule, tested with Holm-corrected p-values (>= 0)
 */
public record MultiObjectiveSpec(List<ObjectiveKind> objectives, SelectionRule selection,
        @JsonProperty("test_also") int testAlso) {

    public MultiObjectiveSpec {
        objectives = List.copyOf(Objects.requireNonNull(objectives, "objectives"));
        Objects.requireNonNull(selection, "selection");
        if (objectives.size() != objectives.stream().distinct().count()
                || !EnumSet.copyOf(objectives).equals(EnumSet.allOf(ObjectiveKind.class))) {
            throw UserFacingException.usage("Invalid --objectives " + String.join(",", objectives.stream()
                    .map(ObjectiveKind::wireName).toList()), "a multi-objective study optimises accuracy and tokens,"
                    + " each once (the selection rules compare both)", "Use --objectives accuracy,tokens (or"
                    + " --objectives accuracy for the single-objective search).");
        }
        if (testAlso < 0) {
            throw UserFacingException.usage("Invalid --test-also " + testAlso, "it counts further front points",
                    "Pass 0 or more.");
        }
    }

    /** The study directions, in objective order. */
    @JsonIgnore
    public List<StudyDirection> directions() {
        return objectives.stream().map(ObjectiveKind::direction).toList();
    }

    /** The position of {@code kind} in a trial's values. */
    public int index(ObjectiveKind kind) {
        return objectives.indexOf(kind);
    }
}
