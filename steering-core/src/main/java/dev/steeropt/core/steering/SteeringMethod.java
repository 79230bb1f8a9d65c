package dev.steeropt.core.steering;

import dev.steeropt.core.hooks.SteerPositions;
import java.util.Objects;

/**
 * How a generation is steered: one record per method, each holding exactly the parameters that method uses. Pass
 * one to {@link SteeredGeneration#generate}; {@code null} means the unsteered baseline.
 *
 * <p><b>α units.</b> Every strength is in the units of the record's {@link AlphaUnits}: by default
 * {@link AlphaUnits#MEAN_RESIDUAL_NORM}, so the effective added vector is {@code α · meanNorm · v/‖v‖} with
 * {@code meanNorm} the mean residual-stream norm at the vector's layer; {@link AlphaUnits#RAW} adds {@code α · v}.
 *
 * <p><b>Zero.</b> A method whose strength is 0 ({@link #isZero()}) takes the baseline path, with no hook and no extra
 * cache (the search's fast path), unless {@link SteeredGeneration.Options#forceSteeredPath()} asks for the steering
 * machinery at strength 0, as the zero-steering check does to show that this machinery reproduces the baseline.
 */
public sealed interface SteeringMethod permits SteeringMethod.Caa, SteeringMethod.Dac {

    /** The steering vector (its layer is the steered layer). */
    SteeringVector vector();

    /** The units of the strength. */
    AlphaUnits units();

    /** True if the strength is 0, so generation takes the baseline path unless the steered path is forced. */
    boolean isZero();

    /** The steered decoder layer. */
    default int layer() {
        return vector().layer();
    }

    /** Short method name as stored in trial params: {@code caa} or {@code dac}. */
    String name();

    /**
     * Contrastive Activation Addition: adds {@code α · direction} to the layer's output at the chosen positions, in the
     * prefill and at every decode step.
     *
     * @param vector    the direction
     * @param alpha     α (any finite value; negative steers away)
     * @param positions which tokens; default {@link SteerPositions#FROM_LAST_PROMPT_TOKEN} (position id ≥ prompt
     *                  length − 1)
     * @param units     α units; default {@link AlphaUnits#MEAN_RESIDUAL_NORM}
     */
    record Caa(SteeringVector vector, double alpha, SteerPositions positions, AlphaUnits units) implements SteeringMethod {
        public Caa {
            Objects.requireNonNull(vector, "vector");
            Objects.requireNonNull(positions, "positions");
            Objects.requireNonNull(units, "units");
            if (!Double.isFinite(alpha)) {
                throw new IllegalArgumentException("CAA alpha must be finite, got " + alpha);
            }
            if (units == AlphaUnits.MEAN_RESIDUAL_NORM) {
                units.direction(vector); // fails now, naming the fix, if the vector has no mean norm
            }
        }

        /** CAA in mean-residual-norm units. */
        public Caa(SteeringVector vector, double alpha, SteerPositions positions) {
            this(vector, alpha, positions, AlphaUnits.MEAN_RESIDUAL_NORM);
        }

        /** CAA from the last prompt token on, in mean-residual-norm units. */
        public static Caa of(SteeringVector vector, double alpha) {
            return new Caa(vector, alpha, SteerPositions.FROM_LAST_PROMPT_TOKEN, AlphaUnits.MEAN_RESIDUAL_NORM);
        }

        @Override
        public boolean isZero() {
            return alpha == 0;
        }

        @Override
        public String name() {
            return "caa";
        }
    }

    /**
     * Dynamic Activation Composition as adopted in steering-reference.md §2.4: per token, the strength is
     * {@code α_t = clip(D_t, 0, α_max)} where {@code D_t} is the KL divergence between the unsteered and the probe
     * (α_max-steered) next-token distributions restricted to the union of their top-p nuclei. Steered positions are the
     * last prompt token and every generated token.
     *
     * @param vector     the direction
     * @param alphaMax   α_max ≥ 0: both the probe strength and the clip bound
     * @param topP       nucleus mass p in (0, 1] (reference default 0.95)
     * @param klMode     {@link KlMode#REFERENCE} (÷|S_t|, the reference code) or {@link KlMode#SUM}
     * @param seedCompat if true, reproduce the seed pipeline instead: a constant {@code α_max · direction} at the last
     *                   prompt token and every generated token, no probe, no modulation ({@code topP} and
     *                   {@code klMode} are then unused, and must be left at their defaults)
     * @param units      α units
     */
    record Dac(SteeringVector vector, double alphaMax, double topP, KlMode klMode, boolean seedCompat, AlphaUnits units)
            implements SteeringMethod {
        /** The reference's nucleus mass for a single property. */
        public static final double DEFAULT_TOP_P = 0.95;

        public Dac {
            Objects.requireNonNull(vector, "vector");
            Objects.requireNonNull(klMode, "klMode");
            Objects.requireNonNull(units, "units");
            if (!(alphaMax >= 0) || Double.isInfinite(alphaMax)) {
                throw new IllegalArgumentException("DAC alpha_max must be finite and >= 0 (it is the clip bound), got " + alphaMax);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("DAC top_p must be in (0, 1], got " + topP);
            }
            if (seedCompat && (topP != DEFAULT_TOP_P || klMode != KlMode.REFERENCE)) {
                throw new IllegalArgumentException("seedCompat DAC ignores top_p and kl_mode; leave them at " + DEFAULT_TOP_P
                        + " and REFERENCE instead of setting a knob that would do nothing (got " + topP + ", " + klMode + ")");
            }
            if (units == AlphaUnits.MEAN_RESIDUAL_NORM) {
                units.direction(vector);
            }
        }

        /** DAC with the reference settings (top_p 0.95, ÷|S|) in mean-residual-norm units. */
        public static Dac of(SteeringVector vector, double alphaMax) {
            return new Dac(vector, alphaMax, DEFAULT_TOP_P, KlMode.REFERENCE, false, AlphaUnits.MEAN_RESIDUAL_NORM);
        }

        @Override
        public boolean isZero() {
            return alphaMax == 0;
        }

        @Override
        public String name() {
            return "dac";
        }
    }
}
