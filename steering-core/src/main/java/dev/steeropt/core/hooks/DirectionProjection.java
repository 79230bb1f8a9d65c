package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Projects a direction out of the activation at one hook point: {@code h ← h − (h·u) u / ‖u‖²} at every target
 * position, so the result has no component along {@code u}. Other positions keep their value exactly. For a zero
 * {@code u} the same code runs with {@code u/‖u‖²} taken as zero, which subtracts exactly zero: bit-identical to no
 * intervention. Composes with the KV cache and batching as {@link ActivationReplacement}.
 */
public final class DirectionProjection extends TargetedIntervention {
    private final float[] direction;
    private final float[] scaled;

    private DirectionProjection(HookPoint point, float[] direction, InterventionTargets targets) {
        super(point, targets);
        Objects.requireNonNull(direction, "direction");
        if (direction.length == 0) {
            throw new IllegalArgumentException("the direction is empty");
        }
        this.direction = finiteCopy(direction, "direction");
        double sq = 0;
        for (float x : this.direction) {
            sq += (double) x * x;
        }
        this.scaled = new float[direction.length];
        if (sq > 0) {
            for (int i = 0; i < direction.length; i++) {
                scaled[i] = (float) (direction[i] / sq);
            }
        }
    }

    /** Projects {@code direction} (copied; any length but d_model's is refused at run time) out at the targets. */
    public static DirectionProjection of(HookPoint point, float[] direction, InterventionTargets targets) {
        return new DirectionProjection(point, direction, targets);
    }

    @Override
    NDArray valuesAt(NDArray h, HookContext ctx, boolean[] on) {
        InterventionTargets.dModel(h, direction.length, this, point());
        NDArray u = ctx.constant(this, m -> m.create(direction).toType(h.getDataType(), false));
        NDArray w = ctx.constant(scaled, m -> m.create(scaled).toType(h.getDataType(), false));
        NDArray coef = h.mul(u).sum(new int[] {2}, true); // [batch, seq, 1]
        return h.sub(coef.mul(w));
    }

    @Override
    public String toString() {
        return "DirectionProjection[" + point() + ", " + targets() + "]";
    }
}
