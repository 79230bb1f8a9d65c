package dev.steeropt.studies.analysis.reads;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;

/**
 * One generated, graded completion of a problem.
 *
 * @param problem the item
 * @param sample  0 for greedy, else the sample index
 * @param prompt  the prompt's token ids
 * @param tokens  the generated token ids (EOS excluded)
 * @param text    the decoded completion
 * @param correct strict grade
 * @param answer  the strictly extracted answer, or null when none was found
 * @param mode    {@link CompletionMode#of} the text
 */
public record Completion(Problem problem, int sample, int[] prompt, int[] tokens, String text, boolean correct,
        String answer, CompletionMode mode) {
    public Completion {
        prompt = prompt.clone();
        tokens = tokens.clone();
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Generated tokens. */
    public int length() {
        return tokens.length;
    }
}
