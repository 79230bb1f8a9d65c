package dev.steeropt.eval.stats;

/** Argument checks shared by the paired statistics. */
final class Paired {
    private Paired() {
    }

    static void requireSameLength(boolean[] baseline, boolean[] treated) {
        if (baseline.length != treated.length) {
            throw new IllegalArgumentException("paired arms must grade the same items: baseline has "
                    + baseline.length + " items, treated " + treated.length + ". Pass both arms in item order.");
        }
        if (baseline.length == 0) {
            throw new IllegalArgumentException("paired statistics need at least one item, got 0");
        }
    }
}
