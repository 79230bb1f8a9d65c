package dev.steeropt.core.runtime;

import java.util.List;

/**
 * What one generate call produced, in plain Java.
 *
 * @param sequences    one per prompt row, in row order
 * @param prefillNanos time to prefill the prompt (0 when a prefix was reused, then it is the copy time)
 * @param decodeNanos  time of all decode steps
 */
public record GenerationResult(List<Sequence> sequences, long prefillNanos, long decodeNanos) {
    public GenerationResult {
        sequences = List.copyOf(sequences);
    }

    /** Why a row stopped. */
    public enum FinishReason {
        /** maxNewTokens reached. */
        LENGTH,
        /** a stop token id was emitted (it is included in the tokens). */
        STOP_TOKEN,
        /** the decoded continuation contains a stop string (the token completing it is included). */
        STOP_STRING
    }

    /**
     * One row's continuation.
     *
     * @param row    the row index in the request
     * @param tokens generated ids (excluding the prompt)
     * @param reason why it stopped
     */
    public record Sequence(int row, int[] tokens, FinishReason reason) {
        public Sequence {
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }
    }

    /** Generated ids per row. */
    public int[][] tokens() {
        int[][] out = new int[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = sequences.get(i).tokens();
        }
        return out;
    }

    /** Total generated tokens. */
    public int generatedTokens() {
        int n = 0;
        for (Sequence s : sequences) {
            n += s.tokens.length;
        }
        return n;
    }
}
