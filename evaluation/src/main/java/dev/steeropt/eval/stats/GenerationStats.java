package dev.steeropt.eval.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Length and reasoning-marker statistics of one run's completions.
 *
 * @param n               number of completions, at least 1
 * @param meanTokens      mean generated tokens
 * @param medianTokens    median generated tokens (mean of the two middle values for even n)
 * @param tokenCv         coefficient of variation of token counts: population standard deviation / mean (0 when
 *                        every completion is empty, since the counts then do not vary)
 * @param meanStepLines   mean {@link ReasoningMarkers#stepLines()} per completion
 * @param meanBacktracks  mean {@link ReasoningMarkers#backtracks()} per completion
 * @param meanHesitations mean {@link ReasoningMarkers#hesitations()} per completion
 * @param perCompletion   the markers of each completion, in input order
 */
public record GenerationStats(int n, double meanTokens, double medianTokens, double tokenCv, double meanStepLines,
                              double meanBacktracks, double meanHesitations, List<ReasoningMarkers> perCompletion) {

    public GenerationStats {
        perCompletion = List.copyOf(perCompletion);
        if (n < 1 || n != perCompletion.size()) {
            throw new IllegalArgumentException("n must be >= 1 and match perCompletion, got n=" + n + ", "
                    + perCompletion.size() + " markers");
        }
    }

    /**
     * One generated completion.
     *
     * @param text       the decoded text
     * @param tokenCount number of generated tokens (not counting the prompt), >= 0
     */
    public record Completion(String text, int tokenCount) {
        public Completion {
            Objects.requireNonNull(text, "text");
            if (tokenCount < 0) {
                throw new IllegalArgumentException("tokenCount must be >= 0, got " + tokenCount);
            }
        }
    }

    /**
     * Computes the statistics of a run.
     *
     * @throws IllegalArgumentException if {@code completions} is empty
     */
    public static GenerationStats of(List<Completion> completions) {
        int n = completions.size();
        if (n == 0) {
            throw new IllegalArgumentException("generation statistics need at least one completion, got 0");
        }
        double[] tokens = new double[n];
        List<ReasoningMarkers> markers = new ArrayList<>(n);
        double sum = 0;
        double steps = 0;
        double backs = 0;
        double hes = 0;
        for (int i = 0; i < n; i++) {
            Completion c = completions.get(i);
            tokens[i] = c.tokenCount();
            sum += tokens[i];
            ReasoningMarkers m = ReasoningMarkers.of(c.text());
            markers.add(m);
            steps += m.stepLines();
            backs += m.backtracks();
            hes += m.hesitations();
        }
        double mean = sum / n;
        double sq = 0;
        for (double t : tokens) {
            sq += (t - mean) * (t - mean);
        }
        double cv = mean == 0 ? 0.0 : Math.sqrt(sq / n) / mean;
        double[] sorted = tokens.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return new GenerationStats(n, mean, median, cv, steps / n, backs / n, hes / n, markers);
    }
}
