package dev.steeropt.studies.pipeline;

import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times a validation pass three ways: as trial 1 with reuse on (the chunks' prompt prefixes are prefilled during the
 * pass), as a later trial with reuse on (prefixes reused), and without reuse (every pass prefills). A warm-up pass on
 * the no-reuse chunks runs first so JIT compilation is not charged to trial 1.
 */
public final class ReuseBenchmark {
    private ReuseBenchmark() {}

    /**
     * The measurements, in seconds.
     *
     * @param trialOne       the first pass with reuse (prefills every chunk)
     * @param laterTrials    median of the later passes with reuse
     * @param noReuse        median of the passes without reuse
     * @param identical      whether every pass produced the same completions
     * @param items          validation items per pass
     * @param promptTokens   prompt tokens per pass
     * @param generated      generated tokens per pass
     * @param config         the configuration every pass ran
     */
    public record Result(double trialOne, double laterTrials, double noReuse, boolean identical, int items,
            long promptTokens, long generated, TrialConfig config) {

        /** Later-trial time as a fraction of trial 1's. */
        public double ratio() {
            return laterTrials / trialOne;
        }

        /** Side-by-side table for stdout. */
        public String table() {
            return String.format(Locale.ROOT, "validation pass (%d items, %d prompt tokens, %d generated tokens, %s layer"
                    + " %d alpha %.1f, greedy)%n"
                    + "  trial 1 (prefill + decode)        %8.3f s%n"
                    + "  trial >= 2 (prefix reused)        %8.3f s   %.1f%% of trial 1%n"
                    + "  any trial without reuse           %8.3f s%n"
                    + "  completions identical with reuse: %s%n",
                    items, promptTokens, generated, config.method(), config.layer(), config.alpha(), trialOne,
                    laterTrials, 100 * ratio(), noReuse, identical ? "yes" : "NO");
        }
    }

    static Result run(ArmRunner runner, PromptChunks reused, PromptChunks fresh, TrialConfig config, int repeats,
            Progress progress) {
        progress.note("bench-reuse: warm-up pass");
        List<ItemOutcome> reference = pass(runner, fresh, config);
        long t0 = System.nanoTime();
        List<ItemOutcome> first = pass(runner, reused, config);
        double trialOne = (System.nanoTime() - t0) / 1e9;
        double[] later = new double[repeats];
        double[] none = new double[repeats];
        boolean identical = same(reference, first);
        for (int r = 0; r < repeats; r++) {
            progress.note("bench-reuse: repeat " + (r + 1) + "/" + repeats);
            long a = System.nanoTime();
            identical &= same(reference, pass(runner, reused, config));
            later[r] = (System.nanoTime() - a) / 1e9;
            long b = System.nanoTime();
            identical &= same(reference, pass(runner, fresh, config));
            none[r] = (System.nanoTime() - b) / 1e9;
        }
        long generated = reference.stream().mapToLong(ItemOutcome::tokens).sum();
        return new Result(trialOne, median(later), median(none), identical, reused.items(), reused.promptTokens(),
                generated, config);
    }

    private static List<ItemOutcome> pass(ArmRunner runner, PromptChunks chunks, TrialConfig config) {
        List<ItemOutcome> out = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            out.addAll(runner.run(chunks, c, config));
        }
        return out;
    }

    private static boolean same(List<ItemOutcome> a, List<ItemOutcome> b) {
        return a.equals(b);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
