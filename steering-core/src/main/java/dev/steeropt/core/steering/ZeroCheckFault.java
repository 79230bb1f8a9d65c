package dev.steeropt.core.steering;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.steeropt.core.hooks.Hook;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Bugs the zero-steering check must catch, injected on purpose into the steering hooks of its own runs (through
 * {@link SteeredGeneration.Options#hookDecorator()} and {@link SteeredGeneration.Options#forceSteeredPath()}), so that
 * a self-test goes through exactly the check code a user runs. {@link #NONE} in production.
 */
public enum ZeroCheckFault {
    /** No fault. */
    NONE,
    /**
     * The hook adds {@value #SHIFT} on top of its result at every position: a shift that does not scale with α, so
     * strength 0 is no longer the baseline.
     */
    CONSTANT_SHIFT,
    /** The hook is installed but the steering code never runs (its call count stays 0; values are untouched). */
    SKIPPED_HOOK,
    /** Zero strength takes the baseline shortcut instead of the steering machinery (no hook at all, count 0). */
    ZERO_SHORTCUT,
    /**
     * The change the hook makes to batch row b lands on row b + 1 (mod batch): invisible at α = 0 and at batch
     * size 1, caught by the non-zero row that compares a steered batch with each row steered alone.
     */
    WRONG_ROW;

    /** The constant {@link #CONSTANT_SHIFT} adds. */
    public static final float SHIFT = 1e-6f;

    /** The option name: lower case with dashes, e.g. {@code constant-shift}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a {@link #cliName()} (or the constant's name).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ZeroCheckFault parse(String s) {
        for (ZeroCheckFault f : values()) {
            if (f.cliName().equalsIgnoreCase(s.strip()) || f.name().equalsIgnoreCase(s.strip())) {
                return f;
            }
        }
        StringBuilder names = new StringBuilder();
        for (ZeroCheckFault f : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(f.cliName());
        }
        throw new IllegalArgumentException("fault \"" + s + "\" is not one of " + names);
    }

    /** Options for one arm of the check: the steered path forced (unless this is the shortcut), hooks decorated. */
    SteeredGeneration.Options apply(SteeredGeneration.Options o) {
        return o.withForceSteeredPath(this != ZERO_SHORTCUT).withHookDecorator(decorator());
    }

    private UnaryOperator<Hook> decorator() {
        return switch (this) {
            case NONE, ZERO_SHORTCUT -> UnaryOperator.identity();
            case CONSTANT_SHIFT -> hook -> (h, ctx) -> hook.apply(h, ctx).add(SHIFT);
            case SKIPPED_HOOK -> hook -> (h, ctx) -> h;
            case WRONG_ROW -> hook -> (h, ctx) -> {
                NDArray out = hook.apply(h, ctx);
                long batch = h.getShape().get(0);
                if (batch < 2) {
                    return out;
                }
                NDArray delta = out.sub(h);
                NDArray rolled = NDArrays.concat(new NDList(delta.get("-1:"), delta.get(":-1")), 0);
                return h.add(rolled);
            };
        };
    }
}
