package dev.steeropt.studies.analysis.sweep;

import java.util.List;

/**
 * One grid cell's per-item outcomes, in item order (the same items in every cell).
 *
 * @param layer     steered layer
 * @param strength  strength (0: the unsteered baseline)
 * @param correct   per item, the flexible grade
 * @param tokens    per item, generated tokens
 * @param counters  per item, reasoning counters
 * @param hasty     per item, true when the completion is in the demo world's hasty mode
 */
public record CellResult(int layer, double strength, boolean[] correct, int[] tokens, List<ReasoningCounters> counters,
        boolean[] hasty) {
    public CellResult {
        counters = List.copyOf(counters);
        if (correct.length != tokens.length || correct.length != counters.size() || correct.length != hasty.length) {
            throw new IllegalArgumentException("per-item arrays of different lengths");
        }
    }

    /** Items. */
    public int n() {
        return correct.length;
    }

    /** Correct items. */
    public int nCorrect() {
        int c = 0;
        for (boolean b : correct) {
            c += b ? 1 : 0;
        }
        return c;
    }

    /** Mean generated tokens. */
    public double meanTokens() {
        double s = 0;
        for (int t : tokens) {
            s += t;
        }
        return s / tokens.length;
    }

    /** Mean reasoning steps. */
    public double meanSteps() {
        return counters.stream().mapToInt(ReasoningCounters::steps).average().orElse(0);
    }

    /** Share of hasty completions. */
    public double hastyShare() {
        int c = 0;
        for (boolean b : hasty) {
            c += b ? 1 : 0;
        }
        return (double) c / hasty.length;
    }
}
