package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.Set;

/**
 * Where an intervention acts: the positions of each row ({@link SteerPositions}; pads are never touched) and which
 * of the caller's rows (all when {@code rows} is empty). Immutable.
 *
 * @param positions the position rule
 * @param rows      the caller's row indices to act on; empty for every row
 * @param promptOnly never act on a generated token
 */
public record InterventionTargets(SteerPositions positions, Set<Integer> rows, boolean promptOnly) {
    /** Every real token of every row. */
    public static final InterventionTargets EVERYWHERE = new InterventionTargets(SteerPositions.ALL, Set.of(), false);

    public InterventionTargets {
        Objects.requireNonNull(positions, "positions");
        rows = Set.copyOf(rows);
    }

    /** The positions of every row. */
    public static InterventionTargets of(SteerPositions positions) {
        return new InterventionTargets(positions, Set.of(), false);
    }

    /** A copy acting on the given caller rows only. */
    public InterventionTargets onRows(Set<Integer> only) {
        return new InterventionTargets(positions, only, promptOnly);
    }

    /** A copy that never acts on a generated token (where a cached prompt-only run can be patched in). */
    public InterventionTargets inPromptOnly() {
        return new InterventionTargets(positions, rows, true);
    }

    /** True if token t of batch row b of this step is a target. */
    public boolean selects(HookContext ctx, int b, int t) {
        if (ctx.isPad(b, t) || (!rows.isEmpty() && !rows.contains(ctx.row(b))) || (promptOnly && ctx.isGenerated(b, t))) {
            return false;
        }
        return positions.selects(ctx.positionId(b, t), ctx.promptLength(b));
    }

    /** Row-major {@code [batch, seq]} selection of this step. */
    boolean[] selection(HookContext ctx) {
        int batch = ctx.batchSize();
        int seq = ctx.seqLen();
        boolean[] on = new boolean[batch * seq];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                on[b * seq + t] = selects(ctx, b, t);
            }
        }
        return on;
    }

    /** True if any entry is set. */
    static boolean any(boolean[] on) {
        for (boolean x : on) {
            if (x) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code where(selection, replacement, h)}: the replacement (broadcast to h's shape) at the selected positions, h's
     * own values elsewhere, exactly (no arithmetic touches a value that is not selected).
     */
    static NDArray select(HookContext ctx, boolean[] on, NDArray replacement, NDArray h) {
        Shape full = h.getShape();
        NDArray mask = ctx.manager().create(on, new Shape(ctx.batchSize(), ctx.seqLen(), 1)).broadcast(full);
        NDArray r = replacement.getShape().equals(full) ? replacement : replacement.broadcast(full);
        return ai.djl.ndarray.NDArrays.where(mask, r, h);
    }

    /** {@code d_model} of an activation, checked against an intervention's vector length. */
    static int dModel(NDArray h, int expected, Object who, HookPoint point) {
        long d = h.getShape().get(h.getShape().dimension() - 1);
        if (expected >= 0 && d != expected) {
            throw new IllegalArgumentException(who + " has " + expected + " values per position but " + point
                    + " has d_model " + d);
        }
        return (int) d;
    }

    @Override
    public String toString() {
        return positions.name().toLowerCase(java.util.Locale.ROOT) + (promptOnly ? " of the prompt" : "")
                + (rows.isEmpty() ? "" : " rows " + rows);
    }
}
