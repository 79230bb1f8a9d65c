package dev.steeropt.studies.pipeline;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Times a validation pass three ways, for each position mode measured: as trial 1 with reuse on (the chunks' prompt
 * prefixes are prefilled during the pass), as a later trial with reuse on (prefixes reused), and without reuse (every
 * pass prefills). From the last prompt token on, a later trial reuses the whole prompt prefix; at every position
 * ({@code all}), it reuses the blocks below the steered layer and reruns the prompt through the others. A warm-up pass
 * on the no-reuse chunks runs first so JIT compilation is not charged to trial 1. Each figure is given as wall time
 * and as the process's CPU time (all threads), which is robust to other processes sharing the machine.
 */
public final class ReuseBenchmark {
    private ReuseBenchmark() {}

    /** Wall and process-CPU seconds of one pass. */
    public record Timing(double wall, double cpu) {}

    /**
     * The measurements of one position mode.
     *
     * @param positions      CAA's positions in every pass
     * @param residualLayers blocks whose input each reused chunk kept (empty unless {@code positions} is ALL)
     * @param trialOne       the first pass with reuse (prefills every chunk)
     * @param laterTrials    median of the later passes with reuse
     * @param noReuse        median of the passes without reuse
     * @param identical      whether every pass produced the same completions
     * @param generated      generated tokens per pass
     * @param config         the configuration every pass ran
     */
    public record Mode(SteerPositions positions, Set<Integer> residualLayers, Timing trialOne, Timing laterTrials,
            Timing noReuse, boolean identical, long generated, TrialConfig config) {

        /** Later-trial CPU time as a fraction of trial 1's. */
        public double ratio() {
            return laterTrials.cpu() / trialOne.cpu();
        }

        /** Later-trial CPU time as a fraction of a pass without reuse. */
        public double ratioToNoReuse() {
            return laterTrials.cpu() / noReuse.cpu();
        }
    }

    /**
     * Every mode measured, on the same validation chunks.
     *
     * @param modes        one entry per position mode, the default first
     * @param items        validation items per pass
     * @param promptTokens prompt tokens per pass
     */
    public record Result(List<Mode> modes, int items, long promptTokens) {
        public Result {
            modes = List.copyOf(modes);
        }

        /** Side-by-side table for stdout. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "validation pass: %d items, %d prompt tokens, greedy%n", items,
                    promptTokens));
            for (Mode m : modes) {
                TrialConfig c = m.config();
                String reused = m.positions().sparesPromptPrefix() ? "prompt prefixes reused"
                        : "blocks < " + resumeLayer(m) + " reused";
                sb.append(String.format(Locale.ROOT, "steer positions %s: %s layer %d alpha %.1f, %d generated tokens%s%n",
                        m.positions().name().toLowerCase(Locale.ROOT), c.method(), c.layer(), c.alpha(), m.generated(),
                        m.residualLayers().isEmpty() ? "" : ", block inputs kept " + new TreeSet<>(m.residualLayers())));
                sb.append(String.format(Locale.ROOT, "  %-47s%9s %9s%n", "", "wall s", "cpu s"));
                sb.append(String.format(Locale.ROOT, "  %-47s%9.3f %9.3f%n", "trial 1 (prefill + decode)",
                        m.trialOne().wall(), m.trialOne().cpu()));
                sb.append(String.format(Locale.ROOT, "  %-47s%9.3f %9.3f   %.1f%% of trial 1 (cpu), %.1f%% (wall);"
                        + " %.1f%% of no reuse (cpu)%n", "trial >= 2 (" + reused + ")", m.laterTrials().wall(),
                        m.laterTrials().cpu(), 100 * m.ratio(), 100 * m.laterTrials().wall() / m.trialOne().wall(),
                        100 * m.ratioToNoReuse()));
                sb.append(String.format(Locale.ROOT, "  %-47s%9.3f %9.3f%n", "any trial without reuse",
                        m.noReuse().wall(), m.noReuse().cpu()));
                sb.append(String.format(Locale.ROOT, "  completions identical with and without reuse: %s%n",
                        m.identical() ? "yes" : "NO"));
            }
            return sb.toString();
        }
    }

    /** The block a later trial of an all-positions mode resumes at: the highest kept one at or below its layer. */
    private static int resumeLayer(Mode m) {
        return m.residualLayers().stream().filter(l -> l <= m.config().layer()).mapToInt(Integer::intValue).max()
                .orElse(0);
    }

    /**
     * Measures one mode: {@code runner} steers at its positions, {@code reused} must be fresh (nothing prefilled yet)
     * and {@code fresh} must not reuse.
     */
    static Mode run(ArmRunner runner, PromptChunks reused, PromptChunks fresh, TrialConfig config, int repeats,
            Progress progress) {
        String mode = runner.positions().name().toLowerCase(Locale.ROOT);
        progress.note("bench-reuse (" + mode + "): warm-up pass");
        List<ItemOutcome> reference = pass(runner, fresh, config);
        List<ItemOutcome> first = new ArrayList<>();
        Timing trialOne = timed(() -> first.addAll(pass(runner, reused, config)));
        boolean identical = reference.equals(first);
        List<Timing> later = new ArrayList<>();
        List<Timing> none = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            progress.note("bench-reuse (" + mode + "): repeat " + (r + 1) + "/" + repeats);
            List<List<ItemOutcome>> outs = new ArrayList<>();
            later.add(timed(() -> outs.add(pass(runner, reused, config))));
            none.add(timed(() -> outs.add(pass(runner, fresh, config))));
            identical &= outs.stream().allMatch(reference::equals);
        }
        long generated = reference.stream().mapToLong(ItemOutcome::tokens).sum();
        return new Mode(runner.positions(), reused.residualLayers(), trialOne, median(later), median(none), identical,
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
