package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Ablation of a component's output at one hook point ({@code blocks.{i}.hook_attn_out} or {@code hook_mlp_out}; a
 * whole block is ablated by both): at every target position the activation is replaced by zero or by a fixed mean
 * vector (its mean over a reference set, {@link Mode}). Other positions keep their value
 * exactly ({@code where}); composes with the KV cache and batching as {@link ActivationReplacement}.
 */
public final class Ablation extends TargetedIntervention {
    /** What replaces the activation. */
    public enum Mode {
        /** Zero. */
        ZERO,
        /** The component's mean over a reference set. */
        MEAN
    }

    private final Mode mode;
    private final float[] value;

    private Ablation(HookPoint point, Mode mode, float[] value, InterventionTargets targets) {
        super(point, targets);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.value = value == null ? null : finiteCopy(value, "mean vector");
    }

    /** Zero ablation of {@code point} at the targets. */
    public static Ablation zero(HookPoint point, InterventionTargets targets) {
        return new Ablation(point, Mode.ZERO, null, targets);
    }

    /** Mean ablation: {@code mean} (length d_model, copied) replaces {@code point}'s activation at the targets. */
    public static Ablation mean(HookPoint point, float[] mean, InterventionTargets targets) {
        return new Ablation(point, Mode.MEAN, Objects.requireNonNull(mean, "mean"), targets);
    }

    /** The mode. */
    public Mode mode() {
        return mode;
    }

    @Override
    NDArray valuesAt(NDArray h, HookContext ctx, boolean[] on) {
        int d = InterventionTargets.dModel(h, value == null ? -1 : value.length, this, point());
        return ctx.constant(this, m -> (value == null ? m.zeros(new ai.djl.ndarray.types.Shape(d))
                : m.create(value)).toType(h.getDataType(), false));
    }

    @Override
    public String toString() {
        return "Ablation[" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + point() + ", " + targets() + "]";
    }
}
