package dev.steeropt.studies.analysis.directions;

/** The arithmetic of directions: means, norms, cosines and differences of {@code float} vectors, summed in double. */
final class VectorMath {
    private VectorMath() {}

    /** Mean over rows. */
    static float[] mean(float[][] rows) {
        double[] s = new double[rows[0].length];
        for (float[] r : rows) {
            for (int i = 0; i < s.length; i++) {
                s[i] += r[i];
            }
        }
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] / rows.length);
        }
        return out;
    }

    /** Mean of the rows' L2 norms. */
    static double meanNorm(float[][] rows) {
        double s = 0;
        for (float[] r : rows) {
            s += norm(r);
        }
        return s / rows.length;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** Cosine similarity, NaN when either is zero. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        double n = norm(a) * norm(b);
        return n == 0 ? Double.NaN : dot / n;
    }

    static float[] minus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }
}
