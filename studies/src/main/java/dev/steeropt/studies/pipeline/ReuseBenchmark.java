package dev.steeropt.studies.pipeline;

import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times a validation pass three ways: as trial 1 with reuse on (the chunks' prompt prefixes are prefilled during the
 * pass), as a later trial with reuse on (prefixes reused), and without reuse (every pass prefills). A warm-up pass on
 * the no-reuse chunks runs first so JIT compilation is not charged to trial 1. Each figure is given as wall time and
 * as the process's CPU time (all threads), which is robust to other processes sharing the machine.
 */
public final class ReuseBenchmark {
    private ReuseBenchmark() {}

    /** Wall and process-CPU seconds of one pass. */
    public record Timing(double wall, double cpu) {}

    /**
     * The measurements.
     *
     * @param trialOne     the first pass with reuse (prefills every chunk)
     * @param laterTrials  median of the later passes with reuse
     * @param noReuse      median of the passes without reuse
     * @param identical    whether every pass produced the same completions
     * @param items        validation items per pass
     * @param promptTokens prompt tokens per pass
     * @param generated    generated tokens per pass
     * @param config       the configuration every pass ran
     */
    public record Result(Timing trialOne, Timing laterTrials, Timing noReuse, boolean identical, int items,
            long promptTokens, long generated, TrialConfig config) {

        /** Later-trial CPU time as a fraction of trial 1's. */
        public double ratio() {
            return laterTrials.cpu() / trialOne.cpu();
        }

        /** Side-by-side table for stdout. */
        public String table() {
            return String.format(Locale.ROOT, "validation pass (%d items, %d prompt tokens, %d generated tokens, %s layer"
                    + " %d alpha %.1f, greedy)           wall s     cpu s%n"
                    + "  trial 1 (prefill + decode)                     %9.3f %9.3f%n"
                    + "  trial >= 2 (prompt prefixes reused)            %9.3f %9.3f   %.1f%% of trial 1 (cpu), %.1f%% (wall)%n"
                    + "  any trial without reuse                        %9.3f %9.3f%n"
                    + "  completions identical with and without reuse: %s%n",
                    items, promptTokens, generated, config.method(), config.layer(), config.alpha(),
                    trialOne.wall(), trialOne.cpu(), laterTrials.wall(), laterTrials.cpu(), 100 * ratio(),
                    100 * laterTrials.wall() / trialOne.wall(), noReuse.wall(), noReuse.cpu(), identical ? "yes" : "NO");
        }
    }

    static Result run(ArmRunner runner, PromptChunks reused, PromptChunks fresh, TrialConfig config, int repeats,
            Progress progress) {
        progress.note("bench-reuse: warm-up pass");
        List<ItemOutcome> reference = pass(runner, fresh, config);
        List<ItemOutcome> first = new ArrayList<>();
        Timing trialOne = timed(() -> first.addAll(pass(runner, reused, config)));
        boolean identical = reference.equals(first);
        List<Timing> later = new ArrayList<>();
        List<Timing> none = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            progress.note("bench-reuse: repeat " + (r + 1) + "/" + repeats);
            List<List<ItemOutcome>> outs = new ArrayList<>();
            later.add(timed(() -> outs.add(pass(runner, reused, config))));
            none.add(timed(() -> outs.add(pass(runner, fresh, config))));
            identical &= outs.stream().allMatch(reference::equals);
        }
        long generated = reference.stream().mapToLong(ItemOutcome::tokens).sum();
        return new Result(trialOne, median(later), median(none), identical, reused.items(), reused.promptTokens(),
                generated, config);
    }

    private static Timing timed(Runnable r) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        r.run();
        return new Timing((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - c0) / 1e9);
    }

    private static List<ItemOutcome> pass(ArmRunner runner, PromptChunks chunks, TrialConfig config) {
        List<ItemOutcome> out = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            out.addAll(runner.run(chunks, c, config));
        }
        return out;
    }

    private static Timing median(List<Timing> xs) {
        double[] w = xs.stream().mapToDouble(Timing::wall).sorted().toArray();
        double[] c = xs.stream().mapToDouble(Timing::cpu).sorted().toArray();
        return new Timing(mid(w), mid(c));
    }

    private static double mid(double[] s) {
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
