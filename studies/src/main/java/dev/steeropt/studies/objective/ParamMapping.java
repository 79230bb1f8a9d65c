package dev.steeropt.studies.objective;

import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.KlMode;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.SteerMethod;
import java.util.Map;
import java.util.Objects;

/**
 * How trial params become steering settings ({@link TrialConfig}, then a {@link SteeringMethod}): the only place
 * that names them. Suggestion order is fixed (layer,
 * alpha, method, temperature, then top_p only when method is DAC), so seeded samplers are reproducible.
 */
public final class ParamMapping {
    private final SearchSpaceSpec space;

    /** A mapping over {@code space}. */
    public ParamMapping(SearchSpaceSpec space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    /** The search space. */
    public SearchSpaceSpec space() {
        return space;
    }

    /** Suggests every param of one trial and returns the settings they mean. */
    public TrialConfig suggest(Trial trial) {
        int layer = (int) trial.suggestInt("layer", space.layerLow(), space.layerHigh());
        double alpha = trial.suggestFloat("alpha", space.alpha().low(), space.alpha().high());
        SteerMethod method = SteerMethod.parse(trial.suggestCategorical("method", space.methodChoices()));
        double temperature = trial.suggestFloat("temperature", space.temperature().low(), space.temperature().high());
        double topP = method == SteerMethod.DAC ? trial.suggestFloat("top_p", space.topP().low(), space.topP().high())
                : Double.NaN;
        return new TrialConfig(method, layer, alpha, temperature, topP);
    }

    /**
     * The settings of stored params (e.g. the best trial's).
     *
     * @throws IllegalArgumentException naming a missing or mistyped param
     */
    public static TrialConfig fromParams(Map<String, Object> params) {
        SteerMethod method = SteerMethod.parse(String.valueOf(require(params, "method")));
        Object topP = params.get("top_p");
        return new TrialConfig(method, ((Number) require(params, "layer")).intValue(),
                ((Number) require(params, "alpha")).doubleValue(),
                ((Number) require(params, "temperature")).doubleValue(),
                method == SteerMethod.DAC ? ((Number) require(params, "top_p")).doubleValue() : Double.NaN);
    }

    /** {@link #toMethod(TrialConfig, SteeringVector, SteerPositions)} with CAA from the last prompt token on. */
    public static SteeringMethod toMethod(TrialConfig config, SteeringVector vector) {
        return toMethod(config, vector, SteerPositions.FROM_LAST_PROMPT_TOKEN);
    }

    /**
     * The steering method of a configuration, or null for the unsteered baseline (α = 0). α is in mean-residual-norm
     * units (α = 1 adds a vector as long as a typical residual at that layer). DAC's α_max must be ≥ 0, so a
     * negative α steers DAC along the negated direction with |α|.
     *
     * @param vector    the vector of {@code config.layer()}
     * @param positions CAA's positions (the study's {@code steer_positions}); DAC's are fixed by its definition
     */
    public static SteeringMethod toMethod(TrialConfig config, SteeringVector vector, SteerPositions positions) {
        if (config.unsteered()) {
            return null;
        }
        if (vector.layer() != config.layer()) {
            throw new IllegalArgumentException("vector of layer " + vector.layer() + " given for layer " + config.layer());
        }
        if (config.method() == SteerMethod.CAA) {
            return new SteeringMethod.Caa(vector, config.alpha(), positions, AlphaUnits.MEAN_RESIDUAL_NORM);
        }
        SteeringVector v = config.alpha() > 0 ? vector : negated(vector);
        return new SteeringMethod.Dac(v, Math.abs(config.alpha()), config.topP(), KlMode.REFERENCE, false,
                AlphaUnits.MEAN_RESIDUAL_NORM);
    }

    private static SteeringVector negated(SteeringVector v) {
        float[] x = v.values();
        for (int i = 0; i < x.length; i++) {
            x[i] = -x[i];
        }
        return SteeringVector.of(v.layer(), x, v.metadata()).withMetadata("negated", "true");
    }

    private static Object require(Map<String, Object> params, String name) {
        Object v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("trial params " + params + " lack '" + name + "'");
        }
        return v;
    }
}
