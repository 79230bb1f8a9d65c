package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Rotary position embedding in transformers' rotate_half layout: dimension m pairs with m + d/2.
 *
 * <pre>
 * out[m]       = x[m]·cos θ − x[m+d/2]·sin θ
 * out[m+d/2]   = x[m+d/2]·cos θ + x[m]·sin θ          θ = pos · inv_freq[m]
 * </pre>
 *
 * The tables are computed in double precision once at load for every position up to the model's maximum; the sin
 * table has the rotate_half sign folded in ({@code [−sin, +sin]}), so {@code rope(x) = x·cos + swap_halves(x)·sin}.
 *
 * <p>Partial rotary (Phi-3, GPT-NeoX): tables narrower than the head ({@code r = 2·invFreq.length < d_head}) rotate
 * the first r dims of each head in the same layout within those r dims (m pairs with m + r/2) and pass the rest
 * through unchanged.
 */
public final class Rope {
    private final NDArray cos;
    private final NDArray sin;
    private final int headDim;
    private final int maxPositions;

    private Rope(NDArray cos, NDArray sin, int headDim, int maxPositions) {
        this.cos = cos;
        this.sin = sin;
        this.headDim = headDim;
        this.maxPositions = maxPositions;
    }

    /**
     * Builds the tables in the given (model) manager.
     *
     * @param invFreq      r/2 inverse frequencies (r = rotated dims per head), after any scaling
     * @param maxPositions table rows
     */
    public static Rope create(NDManager manager, double[] invFreq, int maxPositions, DataType dtype) {
        Objects.requireNonNull(invFreq);
        int half = invFreq.length;
        int d = 2 * half;
        float[] c = new float[maxPositions * d];
        float[] s = new float[maxPositions * d];
        for (int p = 0; p < maxPositions; p++) {
            for (int m = 0; m < half; m++) {
                double theta = p * invFreq[m];
                float cv = (float) Math.cos(theta);
                float sv = (float) Math.sin(theta);
                c[p * d + m] = cv;
                c[p * d + m + half] = cv;
                s[p * d + m] = -sv;
                s[p * d + m + half] = sv;
            }
        }
        NDArray cos = manager.create(c, new Shape(maxPositions, d));
        NDArray sin = manager.create(s, new Shape(maxPositions, d));
        if (dtype != DataType.FLOAT32) {
            NDArray c16 = cos.toType(dtype, false);
            NDArray s16 = sin.toType(dtype, false);
            cos.close();
            sin.close();
            cos = c16;
            sin = s16;
        }
        return new Rope(cos, sin, d, maxPositions);
    }

    /** The cos and sin tables. */
    public java.util.List<NDArray> parameters() {
        return java.util.List.of(cos, sin);
    }

    /** Rows of the tables (largest position + 1). */
    public int maxPositions() {
        return maxPositions;
    }

    /** Rotated dims per head (d_head unless partial). */
    public int headDim() {
        return headDim;
    }

    /**
     * The tables for the given positions, {@code {cos, sin}}, each {@code [batch, pos, 1, d_head]} (broadcast over the
     * heads of {@code [batch, pos, heads, d_head]}), in {@code manager}.
     *
     * @param positionIds {@code [batch, pos]} int64
     */
    public NDArray[] tables(NDManager manager, NDArray positionIds) {
        NDIndex idx = new NDIndex("{}", positionIds);
        NDArray c = cos.getNDArrayInternal().getIndexer(manager).get(cos, idx).expandDims(2);
        NDArray s = sin.getNDArrayInternal().getIndexer(manager).get(sin, idx).expandDims(2);
        return new NDArray[] {c, s};
    }

    /**
     * Applies the rotation to {@code [batch, pos, heads, d_head]} with tables from {@link #tables}; tables narrower than
     * d_head rotate only the leading dims.
     */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int last = x.getShape().dimension() - 1;
        long d = x.getShape().get(last);
        long r = cos.getShape().get(cos.getShape().dimension() - 1);
        if (r < d) {
            NDList parts = x.split(new long[] {r}, last);
            return NDArrays.concat(new NDList(rotate(parts.get(0), cos, sin), parts.get(1)), last);
        }
        return rotate(x, cos, sin);
    }

    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        int last = x.getShape().dimension() - 1;
        long half = x.getShape().get(last) / 2;
        NDList halves = x.split(new long[] {half}, last);
        NDArray swapped = NDArrays.concat(new NDList(halves.get(1), halves.get(0)), last);
        return x.mul(cos).add(swapped.mul(sin));
    }
}
