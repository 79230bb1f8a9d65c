package dev.steeropt.core.bench;

import java.util.Arrays;

/**
 * Timings of one batch size: repeated plain and steered generations of {@link BenchPrompts#NEW_TOKENS} tokens,
 * and generations of one token (prefill + 1) for the decode-only estimate. Figures use medians, as hf-bench does.
 *
 * @param batch              rows
 * @param plainSeconds       unsteered 128-token generate wall times
 * @param steeredSeconds     steered 128-token generate wall times
 * @param oneTokenSeconds    1-token generate wall times
 * @param steerChangedTokens fraction of generated tokens that differ between the last plain and steered run
 */
public record GenerateFigures(int batch, double[] plainSeconds, double[] steeredSeconds, double[] oneTokenSeconds,
        double steerChangedTokens) {

    public GenerateFigures {
        if (batch < 1 || plainSeconds.length == 0 || steeredSeconds.length == 0 || oneTokenSeconds.length == 0) {
            throw new IllegalArgumentException("need batch >= 1 and at least one timing of each kind");
        }
        plainSeconds = plainSeconds.clone();
        steeredSeconds = steeredSeconds.clone();
        oneTokenSeconds = oneTokenSeconds.clone();
    }

    /** Generated tokens per second including prefill: batch·128 / median plain time. */
    public double tokS() {
        return batch * (double) BenchPrompts.NEW_TOKENS / median(plainSeconds);
    }

    /** Steered generation tokens per second. */
    public double steeredTokS() {
        return batch * (double) BenchPrompts.NEW_TOKENS / median(steeredSeconds);
    }

    /** batch·127 / (t(128) − t(1)), medians. */
    public double decodeOnlyTokS() {
        return batch * (double) (BenchPrompts.NEW_TOKENS - 1) / (median(plainSeconds) - median(oneTokenSeconds));
    }

    /** Steered ÷ unsteered throughput (= plain time ÷ steered time). */
    public double steeredOverPlain() {
        return median(plainSeconds) / median(steeredSeconds);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    @Override
    public double[] plainSeconds() {
        return plainSeconds.clone();
    }

    @Override
    public double[] steeredSeconds() {
        return steeredSeconds.clone();
    }

    @Override
    public double[] oneTokenSeconds() {
        return oneTokenSeconds.clone();
    }
}
