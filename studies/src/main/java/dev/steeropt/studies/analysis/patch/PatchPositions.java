package dev.steeropt.studies.analysis.patch;

import dev.steeropt.studies.spec.WireName;

/**
 * {@code --positions}: which target positions {@code analyze patch} overwrites, and which source position each reads.
 * Positions are indices in a row's unpadded sequence. The source and target prompts of an item may differ (within-model
 * clean → corrupted patching); {@code last} pairs the two prompts' last tokens whatever their lengths, {@code prompt}
 * and {@code all} pair position t with position t and so need prompts of equal token length ({@link PatchItems} drops
 * the items whose prompts differ in length and counts them).
 */
public enum PatchPositions implements WireName {
    /** The last prompt token (the one whose output picks the first answer token). */
    LAST,
    /** Every prompt token; never an answer token. */
    PROMPT,
    /** Every prompt token and, teacher-forced, every answer token too. */
    ALL;

    /** True when target position t reads source position t, so the two sequences must have the same length. */
    boolean pairsByIndex() {
        return this != LAST;
    }

    /**
     * The source position a teacher-forced target position reads, or -1 for none.
     *
     * @param lastTarget the target row's last prompt position
     * @param lastSource the source row's last prompt position
     */
    int forcedSource(int position, int lastTarget, int lastSource) {
        return switch (this) {
            case LAST -> position == lastTarget ? lastSource : -1;
            case PROMPT -> position <= lastTarget ? position : -1;
            case ALL -> position;
        };
    }

    /** As {@link #forcedSource}, for a generation whose patch acts on prompt positions only. */
    int promptSource(int position, int lastTarget, int lastSource) {
        return this == LAST ? (position == lastTarget ? lastSource : -1) : position;
    }
}
