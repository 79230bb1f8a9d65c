package dev.steeropt.core.bench;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of {@code bench-runtime --memory-check}: many short generate calls, sampled every tenth of the run.
 * It passes when both hold:
 *
 * <ul>
 *   <li>the arrays alive across every manager of the model ({@link dev.steeropt.core.runtime.LoadedModel#liveArrayCount}:
 *       weights, open decode calls and prompt states) are the same at every sample as after the first call;</li>
 *   <li>the resident set grows by at most {@link #DEFAULT_RSS_GROWTH_LIMIT_MB} MB (or the limit given) over the last
 *       nine tenths of the calls, from the sample at {@code calls / 10} to the end. The first tenth is left out: the
 *       allocator's pools and the JIT settle there.</li>
 * </ul>
 *
 * The array count catches a native array or manager our code forgets to close, however small; the RSS bound catches
 * native memory held outside any manager the model knows of.
 */
public final class MemoryCheck {
    /** Default RSS growth allowed over the last nine tenths of the calls, MB. */
    public static final double DEFAULT_RSS_GROWTH_LIMIT_MB = 32.0;

    private MemoryCheck() {}

    /**
     * One point of the memory check.
     *
     * @param calls        generate calls made so far
     * @param rssMb        current RSS (VmRSS), MB; NaN where /proc is unavailable
     * @param liveArrays   arrays alive across every manager of the model
     * @param openManagers decode calls, prompt states and internal calls open now
     */
    public record Sample(int calls, double rssMb, int liveArrays, int openManagers) {}

    /**
     * The judged run.
     *
     * @param samples       every sample, the one after the first (warm-up) call first
     * @param windowStart   the sample at a tenth of the calls, where the RSS window starts
     * @param rssGrowthMb   RSS at the end minus RSS at {@code windowStart}
     * @param rssLimitMb    the limit the growth is judged against
     * @param arrayGrowth   the largest live-array count of any sample minus the first sample's
     */
    public record Verdict(List<Sample> samples, Sample windowStart, double rssGrowthMb, double rssLimitMb, int arrayGrowth) {
        public Verdict {
            samples = List.copyOf(samples);
            Objects.requireNonNull(windowStart, "windowStart");
        }

        /** The first sample (after the warm-up call). */
        public Sample first() {
            return samples.get(0);
        }

        /** The last sample. */
        public Sample last() {
            return samples.get(samples.size() - 1);
        }

        /** Whether no array stayed alive after a call. */
        public boolean arraysStable() {
            return arrayGrowth == 0;
        }

        /** Whether RSS was measured and grew by at most the limit over the window. */
        public boolean rssWithinLimit() {
            return !Double.isNaN(rssGrowthMb) && rssGrowthMb <= rssLimitMb;
        }

        /** Both conditions. */
        public boolean passed() {
            return arraysStable() && rssWithinLimit();
        }
    }

    /** The sampling interval of a run of {@code calls} calls. */
    static int every(int calls) {
        return Math.max(1, calls / 10);
    }

    /**
     * Judges samples taken at call 0 (after the warm-up call), every {@link #every} calls and at the end.
     *
     * @throws IllegalArgumentException if there are fewer than two samples or the limit is negative
     */
    static Verdict judge(List<Sample> samples, int calls, double rssLimitMb) {
        if (samples.size() < 2 || !(rssLimitMb >= 0)) {
            throw new IllegalArgumentException("need the first and the last sample and a limit >= 0; got " + samples.size()
                    + " samples and limit " + rssLimitMb);
        }
        int from = calls / 10;
        Sample windowStart = samples.stream().filter(s -> s.calls() >= from).findFirst().orElseThrow();
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        int maxArrays = samples.stream().mapToInt(Sample::liveArrays).max().orElseThrow();
        return new Verdict(samples, windowStart, last.rssMb() - windowStart.rssMb(), rssLimitMb, maxArrays - first.liveArrays());
    }
}
