package dev.steeropt.core.steering.caa;

import java.util.Objects;

/**
 * One contrast pair of token sequences (the pipeline tokenises; this module never sees text): the behaviour to steer
 * towards and away from. Arrays are copied.
 */
public record ContrastPair(int[] positive, int[] negative) {
    public ContrastPair {
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
        if (positive.length == 0 || negative.length == 0) {
            throw new IllegalArgumentException("both sides of a contrast pair need at least one token");
        }
        positive = positive.clone();
        negative = negative.clone();
    }

    @Override
    public int[] positive() {
        return positive.clone();
    }

    @Override
    public int[] negative() {
        return negative.clone();
    }
}
