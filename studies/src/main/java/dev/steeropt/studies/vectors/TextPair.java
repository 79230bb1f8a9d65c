package dev.steeropt.studies.vectors;

import java.util.Objects;

/**
 * One contrast pair as text, before tokenisation: the full positive and negative model inputs (prompt + answer text).
 *
 * @param itemId   the item both sides come from
 * @param positive the behaviour to steer towards (a correct solution)
 * @param negative the behaviour to steer away from (an incorrect one)
 */
public record TextPair(String itemId, String positive, String negative) {
    public TextPair {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
        if (positive.equals(negative)) {
            throw new IllegalArgumentException("item " + itemId + ": the positive and negative texts are identical, so the pair"
                    + " carries no contrast");
        }
    }
}
