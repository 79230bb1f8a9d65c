package dev.steeropt.core.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param stepsPlanned    the schedule's length
 * @param stepsDone       optimiser steps taken (fewer than planned only when the time budget ran out)
 * @param stoppedByTime   true if the time budget ended the run
 * @param examplesSeen    training sequences used
 * @param examplesDrawn   example indices taken from the source ({@code 0..examplesDrawn-1}: used, skipped, or queued in
 *                        the last pool when training stopped)
 * @param examplesSkipped sequences longer than the model's positions, skipped
 * @param updatesSkipped  steps whose gradient norm was not finite, so no update was applied
 * @param tokensSeen      input tokens fed to the model (padding excluded)
 * @param lossTokens      tokens that carried loss
 * @param firstLoss       mean loss over the first (up to 10) steps
 * @param finalLoss       mean loss over the last (up to 20) steps
 * @param lossCurve       {@code {step, mean loss since the previous point}} about every 1/50 of the run
 * @param parameterCount  trainable scalars
 * @param wallMillis      training time (excluding writing files)
 */
public record TrainingResult(int stepsPlanned, int stepsDone, boolean stoppedByTime, long examplesSeen, long examplesDrawn,
        long examplesSkipped, int updatesSkipped, long tokensSeen, long lossTokens, double firstLoss, double finalLoss, List<double[]> lossCurve, long parameterCount,
        long wallMillis) {
    public TrainingResult {
        lossCurve = List.copyOf(lossCurve);
    }
}
