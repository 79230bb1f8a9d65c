package dev.steeropt.studies.objective;

import java.util.List;

/** Generates and grades one chunk of the validation split under a trial's settings. */
public interface ChunkEvaluator {
    /** Number of chunks (the objective reports after each). */
    int chunkCount();

    /** The graded items of chunk {@code index} (0-based) under {@code config}, in item order. */
    List<ItemOutcome> evaluate(int index, TrialConfig config);
}
