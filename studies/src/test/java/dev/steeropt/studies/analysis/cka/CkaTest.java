package dev.steeropt.studies.analysis.cka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Cka} against independent float64 computations written out here another way (features instead of Gram sums
 * for linear CKA, explicit H·K·H products for RBF, the four-index U-statistic for the debiased estimator), within 1e-6
 * absolute; CKA of a representation with itself is 1.
 */
class CkaTest {
    private static final double TOL = 1e-6;

    private static float[][] random(SplittableRandom r, int n, int w, double offset) {
        float[][] x = new float[n][w];
        for (float[] row : x) {
            for (int j = 0; j < w; j++) {
                row[j] = (float) (offset + r.nextGaussian() * (1 + j % 3));
            }
        }
        return x;
    }

    /** y = a noisy linear map of x to another width, so CKA is neither 0 nor 1. */
    private static float[][] related(SplittableRandom r, float[][] x, int w, double noise) {
        float[][] m = random(r, x[0].length, w, 0);
        float[][] y = new float[x.length][w];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < w; j++) {
                double s = noise * r.nextGaussian();
                for (int k = 0; k < x[0].length; k++) {
                    s += x[i][k] * m[k][j];
                }
                y[i][j] = (float) s;
            }
        }
        return y;
    }

    private static double[][] centredColumns(float[][] x) {
        int n = x.length;
        int w = x[0].length;
        double[][] c = new double[n][w];
        for (int j = 0; j < w; j++) {
            double mean = 0;
            for (float[] row : x) {
                mean += row[j];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                c[i][j] = x[i][j] - mean;
            }
        }
        return c;
    }

    /** ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F) on column-centred X, Y, through the feature-space products. */
    private static double linearByFeatures(float[][] xf, float[][] yf) {
        double[][] x = centredColumns(xf);
        double[][] y = centredColumns(yf);
        return frobeniusSquared(cross(y, x)) / Math.sqrt(frobeniusSquared(cross(x, x)) * frobeniusSquared(cross(y, y)));
    }

    private static double[][] cross(double[][] a, double[][] b) { // aᵀb
        double[][] out = new double[a[0].length][b[0].length];
        for (int i = 0; i < a[0].length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int r = 0; r < a.length; r++) {
                    out[i][j] += a[r][i] * b[r][j];
                }
            }
        }
        return out;
    }

    private static double frobeniusSquared(double[][] m) {
        double s = 0;
        for (double[] row : m) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    /** The RBF kernel of the raw rows, σ² the median of the n(n−1)/2 squared distances. */
    private static double[][] rbf(float[][] x) {
        int n = x.length;
        double[][] d = new double[n][n];
        double[] pairs = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < x[0].length; k++) {
                    double diff = (double) x[i][k] - x[j][k];
                    d[i][j] += diff * diff;
                }
                if (j > i) {
                    pairs[m++] = d[i][j];
                }
            }
        }
        Arrays.sort(pairs);
        double sigma2 = pairs.length % 2 == 1 ? pairs[pairs.length / 2] : (pairs[pairs.length / 2 - 1] + pairs[pairs.length / 2]) / 2;
        for (double[] row : d) {
            for (int j = 0; j < n; j++) {
                row[j] = Math.exp(-row[j] / (2 * sigma2));
            }
        }
        return d;
    }

    private static double[][] linearKernel(float[][] x) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < x[0].length; c++) {
                    k[i][j] += (double) x[i][c] * x[j][c];
                }
            }
        }
        return k;
    }

    private static double[][] times(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    /** tr(K H L H) with H = I − 11ᵀ/n as explicit matrices. */
    private static double hsicByMatrices(double[][] k, double[][] l) {
        int n = k.length;
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] = (i == j ? 1 : 0) - 1.0 / n;
            }
        }
        double[][] p = times(times(times(k, h), l), h);
        double tr = 0;
        for (int i = 0; i < n; i++) {
            tr += p[i][i];
        }
        return tr;
    }

    /**
     * The unbiased HSIC as a U-statistic over distinct indices: mean k_ij·l_ij + mean k_ij·l_qr − 2·mean k_ij·l_iq,
     * each mean over ordered tuples of distinct indices.
     */
    private static double hsicUStatistic(double[][] k, double[][] l) {
        int n = k.length;
        double a = 0;
        double b = 0;
        double c = 0;
        long na = 0;
        long nb = 0;
        long nc = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                a += k[i][j] * l[i][j];
                na++;
                for (int q = 0; q < n; q++) {
                    if (q == i || q == j) {
                        continue;
                    }
                    c += k[i][j] * l[i][q];
                    nc++;
                    for (int r = 0; r < n; r++) {
                        if (r == i || r == j || r == q) {
                            continue;
                        }
                        b += k[i][j] * l[q][r];
                        nb++;
                    }
                }
            }
        }
        return a / na + b / nb - 2 * c / nc;
    }

    private static double ckaOf(double ab, double aa, double bb) {
        return ab / Math.sqrt(aa * bb);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void linearMatchesTheFeatureFormulaAcrossWidths(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = random(r, 40, 7, 50); // a large common offset: centring must remove it
        float[][] y = related(r, x, 13, 3.0);
        double expected = linearByFeatures(x, y);
        assertTrue(expected > 0.05 && expected < 0.99, "a test pair neither unrelated nor identical: " + expected);
        assertEquals(expected, Cka.of(x, y, CkaKernel.LINEAR, false), TOL);
        assertEquals(expected, Cka.of(y, x, CkaKernel.LINEAR, false), TOL, "symmetric");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void rbfMatchesExplicitCentringMatrices(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = random(r, 25, 6, 10);
        float[][] y = related(r, x, 4, 2.0);
        double[][] k = rbf(x);
        double[][] l = rbf(y);
        double expected = ckaOf(hsicByMatrices(k, l), hsicByMatrices(k, k), hsicByMatrices(l, l));
        assertEquals(expected, Cka.of(x, y, CkaKernel.RBF, false), TOL);
        double linear = Cka.of(x, y, CkaKernel.LINEAR, false);
        assertTrue(Math.abs(linear - expected) > 1e-3, "RBF differs from linear on this pair: " + linear + " vs " + expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void debiasedMatchesTheUStatistic(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = random(r, 9, 5, 4);
        float[][] y = related(r, x, 8, 2.0);
        for (CkaKernel kernel : CkaKernel.values()) {
            double[][] k = kernel == CkaKernel.LINEAR ? linearKernel(x) : rbf(x); // raw rows: the estimator ignores offsets
            double[][] l = kernel == CkaKernel.LINEAR ? linearKernel(y) : rbf(y);
            double expected = ckaOf(hsicUStatistic(k, l), hsicUStatistic(k, k), hsicUStatistic(l, l));
            double got = Cka.of(x, y, kernel, true);
            assertEquals(expected, got, TOL, kernel + " debiased");
            assertTrue(Math.abs(got - Cka.of(x, y, kernel, false)) > 1e-4, kernel + ": debiased differs from biased at n = 9");
        }
    }

    @Test
    void selfSimilarityIsOne() {
        SplittableRandom r = new SplittableRandom(7);
        float[][] x = random(r, 30, 11, -3);
        for (CkaKernel kernel : CkaKernel.values()) {
            for (boolean debiased : new boolean[] {false, true}) {
                assertEquals(1.0, Cka.of(x, x, kernel, debiased), 1e-12, kernel + " debiased=" + debiased);
            }
        }
    }

    @Test
    void linearIsInvariantToRotationAndScaleButNotToMixingRows() {
        SplittableRandom r = new SplittableRandom(11);
        float[][] x = random(r, 20, 2, 0);
        float[][] rotated = new float[20][2];
        float[][] shuffled = new float[20][];
        double a = 0.7;
        for (int i = 0; i < 20; i++) {
            rotated[i][0] = (float) (5 * (Math.cos(a) * x[i][0] - Math.sin(a) * x[i][1]));
            rotated[i][1] = (float) (5 * (Math.sin(a) * x[i][0] + Math.cos(a) * x[i][1]));
            shuffled[i] = x[(i + 7) % 20];
        }
        assertEquals(1.0, Cka.of(x, rotated, CkaKernel.LINEAR, false), 1e-6);
        assertTrue(Cka.of(x, shuffled, CkaKernel.LINEAR, false) < 0.9, "rows are paired, not pooled");
    }

    @Test
    void refusesMismatchedRowsAndConstantRepresentations() {
        SplittableRandom r = new SplittableRandom(3);
        assertThrows(IllegalArgumentException.class, () -> Cka.of(random(r, 10, 3, 0), random(r, 11, 3, 0), CkaKernel.LINEAR, false));
        float[][] constant = new float[10][3];
        assertThrows(IllegalArgumentException.class, () -> Cka.of(constant, random(r, 10, 3, 0), CkaKernel.LINEAR, false));
        assertThrows(IllegalArgumentException.class, () -> Gram.of(constant, CkaKernel.RBF));
        assertThrows(IllegalArgumentException.class, () -> Cka.of(random(r, 3, 3, 0), random(r, 3, 3, 0), CkaKernel.LINEAR, true));
    }

    @Test
    void matrixPairsEveryLayer() {
        SplittableRandom r = new SplittableRandom(5);
        float[][] x = random(r, 15, 4, 0);
        float[][] y = related(r, x, 6, 1.0);
        List<Gram> a = List.of(Gram.of(x, CkaKernel.LINEAR), Gram.of(y, CkaKernel.LINEAR));
        List<Gram> b = List.of(Gram.of(y, CkaKernel.LINEAR));
        double[][] m = Cka.matrix(a, b, false);
        assertEquals(2, m.length);
        assertEquals(1, m[0].length);
        assertEquals(linearByFeatures(x, y), m[0][0], TOL);
        assertEquals(1.0, m[1][0], 1e-12);
    }
}
