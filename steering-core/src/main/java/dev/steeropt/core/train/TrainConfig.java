package dev.steeropt.core.train;

/**
 * Shape of the model and settings of one training run. Immutable; validated on construction.
 *
 * @param hiddenSize       d_model (a multiple of {@code numHeads}, with an even d_head)
 * @param numLayers        decoder blocks
 * @param numHeads         attention heads (key/value heads are the same number)
 * @param intermediateSize SwiGLU width
 * @param maxPositions     longest sequence, in tokens (longer examples are skipped by the data source's caller)
 * @param ropeTheta        RoPE base
 * @param batchSize        sequences per step
 * @param steps            optimiser steps (the schedule's length); training may stop earlier at {@code maxMillis}
 * @param maxMillis        wall-clock budget in milliseconds, or 0 for none
 * @param learningRate     peak learning rate
 * @param minLearningRate  learning rate at the end of the cosine decay
 * @param warmupSteps      linear warm-up from 0 to the peak
 * @param weightDecay      AdamW decoupled weight decay (not applied to norm weights)
 * @param gradClip         global gradient-norm clip, or 0 for none
 * @param seed             weight initialisation seed
 */
public record TrainConfig(int hiddenSize, int numLayers, int numHeads, int intermediateSize, int maxPositions,
        double ropeTheta, int batchSize, int steps, long maxMillis, double learningRate, double minLearningRate,
        int warmupSteps, double weightDecay, double gradClip, long seed) {

    public TrainConfig {
        positive("hiddenSize", hiddenSize);
        positive("numLayers", numLayers);
        positive("numHeads", numHeads);
        positive("intermediateSize", intermediateSize);
        positive("maxPositions", maxPositions);
        positive("batchSize", batchSize);
        positive("steps", steps);
        if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + " must be a multiple of numHeads " + numHeads
                    + " with an even head size");
        }
        if (maxMillis < 0 || warmupSteps < 0 || weightDecay < 0 || gradClip < 0) {
            throw new IllegalArgumentException("maxMillis, warmupSteps, weightDecay and gradClip must be >= 0, got "
                    + maxMillis + ", " + warmupSteps + ", " + weightDecay + ", " + gradClip);
        }
        if (!(learningRate > 0) || minLearningRate < 0 || minLearningRate > learningRate) {
            throw new IllegalArgumentException("need 0 <= minLearningRate <= learningRate and learningRate > 0, got "
                    + minLearningRate + " and " + learningRate);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** d_head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** A copy with another step count and time budget. */
    public TrainConfig withBudget(int newSteps, long newMaxMillis) {
        return new TrainConfig(hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, ropeTheta, batchSize,
                newSteps, newMaxMillis, learningRate, minLearningRate, Math.min(warmupSteps, newSteps), weightDecay,
                gradClip, seed);
    }

    /** A copy with another seed. */
    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, ropeTheta, batchSize,
                steps, maxMillis, learningRate, minLearningRate, warmupSteps, weightDecay, gradClip, newSeed);
    }

    /**
     * Learning rate at a step (0-based): linear warm-up to the peak over {@code warmupSteps}, then cosine decay to
     * {@code minLearningRate} at {@code steps}.
     */
    public double learningRateAt(int step) {
        return learningRateAt(step, 0);
    }

    /**
     * Learning rate at a step when {@code elapsed} of the time budget is used: the cosine decay follows whichever is
     * further along, the steps or the clock, so a run that the budget will cut short still ends its schedule at
     * {@code minLearningRate} instead of stopping at a high rate. With no budget, or while the steps lead, this equals
     * {@link #learningRateAt(int)} and the run is deterministic.
     *
     * @param elapsed fraction of {@code maxMillis} used so far (ignored when there is no budget)
     */
    public double learningRateAt(int step, double elapsed) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        double progress = Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, steps - warmupSteps));
        if (maxMillis > 0 && elapsed > 0) {
            // the decay part of the budget: the time left after warm-up, in the same proportion as the steps
            double warm = warmupSteps / (double) steps;
            progress = Math.max(progress, Math.min(1.0, (elapsed - warm) / Math.max(1e-9, 1 - warm)));
        }
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
    }
}
