package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * What the interventions ({@link ActivationReplacement}, {@link Ablation}, {@link DirectionProjection}) share: one hook
 * point, the {@link InterventionTargets} it acts on, and one way to apply it. A step with no target returns its input
 * untouched; otherwise the subclass computes the new values and they are written at the targets only ({@code where},
 * no arithmetic on the other positions), so the other positions keep their value exactly.
 */
public abstract class TargetedIntervention implements Hook {
    private final HookPoint point;
    private final InterventionTargets targets;

    TargetedIntervention(HookPoint point, InterventionTargets targets) {
        this.point = Objects.requireNonNull(point, "point");
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    /** The hook point. */
    public final HookPoint point() {
        return point;
    }

    /** The targets. */
    public final InterventionTargets targets() {
        return targets;
    }

    /** This hook at its point. */
    public final HookSet hooks() {
        return HookSet.of(point, this);
    }

    @Override
    public final NDArray apply(NDArray h, HookContext ctx) {
        boolean[] on = targets.selection(ctx);
        if (!InterventionTargets.any(on)) {
            return h;
        }
        NDArray values = valuesAt(h, ctx, on);
        return InterventionTargets.any(on) ? InterventionTargets.select(ctx, on, values, h) : h;
    }

    /**
     * The new activation (broadcastable to {@code h}'s {@code [batch, seq, d_model]}) at the positions {@code on} marks
     * ({@code on[b * seq + t]}); a subclass may clear entries of {@code on} it leaves alone.
     */
    abstract NDArray valuesAt(NDArray h, HookContext ctx, boolean[] on);

    /** A copy of {@code v}, refused when a value is not finite. */
    static float[] finiteCopy(float[] v, String what) {
        float[] copy = v.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Float.isFinite(copy[i])) {
                throw new IllegalArgumentException("the " + what + " has a non-finite value at index " + i);
            }
        }
        return copy;
    }
}
