package dev.steeropt.studies.analysis.cka;

import java.util.Arrays;

/**
 * The kernel (Gram) matrix of one representation {@code [n][width]} over its n rows, in float64, with the sums every
 * HSIC estimator needs: row sums, the diagonal and the total. The rows are column-centred first (neither kernel's HSIC
 * changes, and the linear kernel's sums then cancel exactly instead of in floating point). Immutable.
 */
public final class Gram {
    private final int n;
    private final double[] k; // [n * n] row-major, symmetric
    private final double[] rowSums;
    private final double[] diag;
    private final double total;

    private Gram(int n, double[] k) {
        this.n = n;
        this.k = k;
        this.rowSums = new double[n];
        this.diag = new double[n];
        double t = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += k[i * n + j];
            }
            rowSums[i] = s;
            diag[i] = k[i * n + i];
            t += s;
        }
        this.total = t;
    }

    /**
     * @param x      {@code [n][width]}, every row the same width; n ≥ 2
     * @param kernel which kernel
     * @throws IllegalArgumentException for fewer than 2 rows, ragged rows, a non-finite value, or (RBF) rows that are
     *                                  all identical (σ² would be 0)
     */
    public static Gram of(float[][] x, CkaKernel kernel) {
        double[][] c = centred(x);
        int n = c.length;
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = kernel == CkaKernel.LINEAR ? dot(c[i], c[j]) : squaredDistance(c[i], c[j]);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        if (kernel == CkaKernel.RBF) {
            double sigma2 = medianOffDiagonal(k, n);
            if (!(sigma2 > 0)) {
                throw new IllegalArgumentException("the RBF kernel needs distinct rows: the median squared distance of "
                        + n + " rows is " + sigma2);
            }
            for (int i = 0; i < k.length; i++) {
                k[i] = Math.exp(-k[i] / (2 * sigma2));
            }
        }
        return new Gram(n, k);
    }

    /** Rows. */
    public int n() {
        return n;
    }

    /**
     * The biased HSIC numerator {@code tr(K H L H)} (the 1/(n−1)² factor cancels in CKA), from the raw sums:
     * {@code Σ K∘L − (2/n) Σᵢ rᴷᵢ rᴸᵢ + Sᴷ Sᴸ / n²}.
     */
    double hsic(Gram other) {
        requireSameRows(other);
        double kl = 0;
        for (int i = 0; i < k.length; i++) {
            kl += k[i] * other.k[i];
        }
        double rr = 0;
        for (int i = 0; i < n; i++) {
            rr += rowSums[i] * other.rowSums[i];
        }
        return kl - 2.0 * rr / n + total * other.total / ((double) n * n);
    }

    /**
     * The unbiased HSIC estimator of Song et al. (2012), with K̃ = K with its diagonal zeroed:
     * {@code [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3))}; needs n ≥ 4.
     */
    double hsicUnbiased(Gram other) {
        requireSameRows(other);
        if (n < 4) {
            throw new IllegalArgumentException("the debiased HSIC estimator needs at least 4 rows, got " + n);
        }
        double kl = 0;
        for (int i = 0; i < k.length; i++) {
            kl += k[i] * other.k[i];
        }
        double trace = kl;
        double cross = 0;
        double sk = total;
        double sl = other.total;
        for (int i = 0; i < n; i++) {
            trace -= diag[i] * other.diag[i];
            cross += (rowSums[i] - diag[i]) * (other.rowSums[i] - other.diag[i]);
            sk -= diag[i];
            sl -= other.diag[i];
        }
        return (trace + sk * sl / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * cross) / ((double) n * (n - 3.0));
    }

    private void requireSameRows(Gram other) {
        if (other.n != n) {
            throw new IllegalArgumentException("CKA compares the same rows: " + n + " rows against " + other.n);
        }
    }

    private static double[][] centred(float[][] x) {
        if (x.length < 2) {
            throw new IllegalArgumentException("CKA needs at least 2 rows, got " + x.length);
        }
        int w = x[0].length;
        double[] mean = new double[w];
        for (int r = 0; r < x.length; r++) {
            if (x[r].length != w) {
                throw new IllegalArgumentException("row " + r + " has " + x[r].length + " values, row 0 has " + w);
            }
            for (int j = 0; j < w; j++) {
                if (!Float.isFinite(x[r][j])) {
                    throw new IllegalArgumentException("row " + r + " column " + j + " is " + x[r][j]);
                }
                mean[j] += x[r][j];
            }
        }
        for (int j = 0; j < w; j++) {
            mean[j] /= x.length;
        }
        double[][] c = new double[x.length][w];
        for (int r = 0; r < x.length; r++) {
            for (int j = 0; j < w; j++) {
                c[r][j] = x[r][j] - mean[j];
            }
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Median of the entries above the diagonal (each pair once). */
    private static double medianOffDiagonal(double[] k, int n) {
        double[] off = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                off[m++] = k[i * n + j];
            }
        }
        Arrays.sort(off);
        return off.length % 2 == 1 ? off[off.length / 2] : (off[off.length / 2 - 1] + off[off.length / 2]) / 2;
    }
}
