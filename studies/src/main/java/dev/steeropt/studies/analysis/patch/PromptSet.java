package dev.steeropt.studies.analysis.patch;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.datasets.QuestionCorruption;
import dev.steeropt.studies.spec.WireName;
import java.util.Optional;

/**
 * {@code --source-prompts} / {@code --target-prompts}: the prompts a run of {@code analyze patch} sees.
 */
public enum PromptSet implements WireName {
    /** The dataset's questions. */
    CLEAN,
    /** Each question with one number changed and its gold answer recomputed ({@link QuestionCorruption}). */
    CORRUPTED;

    /** This set's version of {@code p}, or empty when {@code p} has no corrupted version. */
    Optional<Problem> of(Problem p, QuestionCorruption corruption) {
        return this == CLEAN ? Optional.of(p) : corruption.corrupt(p);
    }
}
