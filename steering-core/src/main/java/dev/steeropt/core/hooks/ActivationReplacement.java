package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Activation patching: at one hook point, the activation of each target position is replaced by a vector from
 * another run (a cached source run of the same or another model), {@code h[b, t] ← source(row, position)}. Positions
 * that are not targets keep their value exactly ({@code where}, no arithmetic), so patching a run with its own cached
 * activations is bit-identical to no patch. Works in the prefill and in every decode step (the source is looked up by
 * the caller's row and the position id), so it composes with the KV cache and with row groups.
 *
 * <p>A target position whose source has no vector is an error: a patch that silently skips positions would measure
 * nothing.
 *
 * <p>Per-head patching ({@link #onHead}, {@link #onlyHead}): at {@code blocks.{i}.attn.hook_z} only one query head's
 * columns {@code head·d_head..(head+1)·d_head} take the source's values; the other heads keep theirs exactly (the
 * source still gives whole {@code hook_z} rows, as {@link ActivationCapture} copies them).
 */
public final class ActivationReplacement extends TargetedIntervention {
    /** The vector that replaces row {@code row}'s activation at position id {@code positionId}, or null if none. */
    @FunctionalInterface
    public interface Source {
        /**
         * @param row          the caller's row index
         * @param positionId   the position id (index in the row's unpadded sequence)
         * @param promptLength the row's prompt length
         */
        float[] at(int row, int positionId, int promptLength);
    }

    private final Source source;
    private final boolean partial;
    private final int head;
    private final int headDim;

    private ActivationReplacement(HookPoint point, Source source, InterventionTargets targets, boolean partial, int head,
            int headDim) {
        super(point, targets);
        this.source = Objects.requireNonNull(source, "source");
        this.partial = partial;
        if (head >= 0 && (point.kind() != HookPoint.Kind.Z || headDim < 1)) {
            throw new IllegalArgumentException("a single head is patched at blocks.{i}.attn.hook_z with d_head >= 1, got "
                    + point + " and d_head " + headDim);
        }
        this.head = head;
        this.headDim = headDim;
    }

    private ActivationReplacement(HookPoint point, Source source, InterventionTargets targets, boolean partial) {
        this(point, source, targets, partial, -1, 0);
    }

    /**
     * Replaces query head {@code head}'s outputs at {@code blocks.{layer}.attn.hook_z} (columns
     * {@code head·headDim..(head+1)·headDim}) by the same columns of {@code source}'s whole hook_z rows; the other
     * heads keep their values exactly.
     */
    public static ActivationReplacement onHead(int layer, int head, int headDim, Source source,
            InterventionTargets targets) {
        return of(HookPoint.z(layer), source, targets).onlyHead(head, headDim);
    }

    /**
     * This replacement restricted to one query head of its {@code hook_z} point (see {@link #onHead}).
     *
     * @throws IllegalArgumentException if the point is not a {@code hook_z}, head is negative or d_head below 1
     */
    public ActivationReplacement onlyHead(int head, int headDim) {
        if (head < 0) {
            throw new IllegalArgumentException("head must be >= 0, got " + head);
        }
        return new ActivationReplacement(point(), source, targets(), partial, head, headDim);
    }

    /** The patched query head, or -1 when every column is replaced. */
    public int head() {
        return head;
    }

    /** Replaces the targets' activations at {@code point} by {@code source}'s vectors (each target needs one). */
    public static ActivationReplacement of(HookPoint point, Source source, InterventionTargets targets) {
        return new ActivationReplacement(point, source, targets, false);
    }

    /**
     * As {@link #of}, but a target the source has no vector for keeps its value: the source itself chooses the
     * positions (e.g. a position per row that no {@link SteerPositions} rule names).
     */
    public static ActivationReplacement partial(HookPoint point, Source source, InterventionTargets targets) {
        return new ActivationReplacement(point, source, targets, true);
    }

    /**
     * The source of a cached run: each captured vector of {@code point} by (row, position id), so row r of the patched
     * run reads row r of the source run at the same position.
     */
    public static Source byPosition(List<ActivationCapture.Captured> captured) {
        Map<Long, float[]> byKey = new HashMap<>();
        for (ActivationCapture.Captured c : captured) {
            byKey.put(key(c.row(), c.positionId()), c.values());
        }
        return (row, pos, len) -> byKey.get(key(row, pos));
    }

    /**
     * A source for each row's last prompt token only: {@code perRow[row]} (e.g. the source run's last prompt token,
     * whatever its prompt length). Other positions have no vector.
     */
    public static Source lastPromptToken(float[][] perRow) {
        float[][] copy = perRow.clone();
        return (row, pos, len) -> row < copy.length && pos == len - 1 ? copy[row] : null;
    }

    private static long key(int row, int positionId) {
        return ((long) row << 32) | (positionId & 0xffffffffL);
    }

    @Override
    NDArray valuesAt(NDArray h, HookContext ctx, boolean[] on) {
        HookPoint point = point();
        int d = InterventionTargets.dModel(h, -1, this, point);
        int seq = ctx.seqLen();
        float[] values = new float[on.length * d];
        for (int b = 0; b < ctx.batchSize(); b++) {
            for (int t = 0; t < seq; t++) {
                if (!on[b * seq + t]) {
                    continue;
                }
                float[] v = source.at(ctx.row(b), ctx.positionId(b, t), ctx.promptLength(b));
                if (v == null && partial) {
                    on[b * seq + t] = false;
                    continue;
                }
                if (v == null) {
                    throw new IllegalStateException("the patch source has no activation at " + point + " for row "
                            + ctx.row(b) + ", position " + ctx.positionId(b, t) + "; cache the source run at every"
                            + " patched position");
                }
                if (v.length != d) {
                    throw new IllegalArgumentException("the patch source has " + v.length + " values at " + point
                            + " but it has " + d + " (d_model, or n_heads·d_head at hook_z)");
                }
                System.arraycopy(v, 0, values, (b * seq + t) * d, d);
            }
        }
        NDArray src = ctx.manager().create(values, new Shape(ctx.batchSize(), seq, d));
        src = h.getDataType() == DataType.FLOAT32 ? src : src.toType(h.getDataType(), false);
        if (head < 0) {
            return src;
        }
        if ((head + 1) * headDim > d) {
            throw new IllegalArgumentException("head " + head + " of d_head " + headDim + " ends at column "
                    + (head + 1) * headDim + ", but " + point + " has " + d + " columns");
        }
        boolean[] columns = new boolean[d];
        java.util.Arrays.fill(columns, head * headDim, (head + 1) * headDim, true);
        NDArray mask = ctx.manager().create(columns, new Shape(1, 1, d)).broadcast(h.getShape());
        return ai.djl.ndarray.NDArrays.where(mask, src, h); // the other heads' columns keep h's bits
    }

    @Override
    public String toString() {
        return "ActivationReplacement[" + point() + (head < 0 ? "" : " head " + head) + ", " + targets() + "]";
    }
}
