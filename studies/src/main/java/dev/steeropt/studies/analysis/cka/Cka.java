package dev.steeropt.studies.analysis.cka;

import java.util.List;

/**
 * Centred Kernel Alignment (Kornblith et al. 2019) between representations of the same rows, of any widths:
 * {@code CKA(K, L) = HSIC(K, L) / √(HSIC(K, K) · HSIC(L, L))}, with the biased HSIC {@code tr(KHLH)} or the debiased
 * estimator of Song et al. (2012). With the linear kernel and the biased estimator this is
 * {@code ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F)} on column-centred X, Y.
 */
public final class Cka {
    private Cka() {}

    /**
     * CKA of two Gram matrices over the same rows.
     *
     * @throws IllegalArgumentException if the row counts differ, or a representation is constant (its HSIC with
     *                                  itself is not positive, so CKA is undefined)
     */
    public static double of(Gram a, Gram b, boolean debiased) {
        double ab = debiased ? a.hsicUnbiased(b) : a.hsic(b);
        double aa = debiased ? a.hsicUnbiased(a) : a.hsic(a);
        double bb = debiased ? b.hsicUnbiased(b) : b.hsic(b);
        if (!(aa > 0) || !(bb > 0)) {
            throw new IllegalArgumentException("CKA is undefined for a constant representation (HSIC with itself "
                    + aa + " and " + bb + ")");
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** CKA of two representations {@code [n][width]} of the same n rows. */
    public static double of(float[][] x, float[][] y, CkaKernel kernel, boolean debiased) {
        return of(Gram.of(x, kernel), Gram.of(y, kernel), debiased);
    }

    /** {@code [a.size()][b.size()]}: CKA of every Gram of {@code a} with every Gram of {@code b}. */
    public static double[][] matrix(List<Gram> a, List<Gram> b, boolean debiased) {
        double[][] out = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                out[i][j] = of(a.get(i), b.get(j), debiased);
            }
        }
        return out;
    }
}
