package dev.steeropt.eval.stats;

import java.util.List;

/**
 * Accuracy of one arm with its Wilson 95% interval.
 *
 * @param correct number of correct items
 * @param n       number of items, at least 1
 * @param rate    correct / n
 * @param ci95    Wilson 95% interval of the rate
 */
public record Accuracy(long correct, long n, double rate, WilsonInterval ci95) {
    public Accuracy {
        if (n < 1 || correct < 0 || correct > n) {
            throw new IllegalArgumentException("accuracy needs 0 <= correct <= n and n >= 1, got correct=" + correct
                    + ", n=" + n);
        }
        if (Math.abs(rate - (double) correct / n) > 1e-12) {
            throw new IllegalArgumentException("rate " + rate + " is not correct/n = " + correct + "/" + n);
        }
    }

    /** Accuracy of {@code correct} out of {@code n}. */
    public static Accuracy of(long correct, long n) {
        if (n < 1) {
            throw new IllegalArgumentException("accuracy of zero items is undefined; got n=" + n
                    + ". Grade at least one item.");
        }
        return new Accuracy(correct, n, (double) correct / n, WilsonInterval.of95(correct, n));
    }

    /** Accuracy of a per-item correctness vector. */
    public static Accuracy of(boolean[] correct) {
        long k = 0;
        for (boolean c : correct) {
            k += c ? 1 : 0;
        }
        return of(k, correct.length);
    }

    /** Accuracy of a per-item correctness list. */
    public static Accuracy of(List<Boolean> correct) {
        long k = correct.stream().filter(Boolean::booleanValue).count();
        return of(k, correct.size());
    }
}
