package dev.steeropt.studies.objective;

import dev.steeropt.studies.spec.SteerMethod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The steering settings one trial evaluates, in Java types (the trial params, snake_case, are their string form).
 *
 * @param method      CAA or DAC
 * @param layer       decoder layer whose output is steered (0-based)
 * @param alpha       steering strength; 0 means no steering at all (the unsteered forward, bit for bit)
 * @param temperature sampling temperature, 0 = greedy
 * @param topP        DAC's nucleus p, or NaN for CAA (the param is not suggested then)
 */
public record TrialConfig(SteerMethod method, int layer, double alpha, double temperature, double topP) {
    public TrialConfig {
        java.util.Objects.requireNonNull(method, "method");
        if (layer < 0 || !Double.isFinite(alpha) || !(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("invalid trial config layer=" + layer + " alpha=" + alpha
                    + " temperature=" + temperature);
        }
        if ((method == SteerMethod.DAC) == Double.isNaN(topP)) {
            throw new IllegalArgumentException("top_p is given exactly for DAC, got method=" + method + " top_p=" + topP);
        }
    }

    /** The unsteered, greedy configuration the test split's baseline arm uses. */
    public static TrialConfig baseline() {
        return new TrialConfig(SteerMethod.CAA, 0, 0.0, 0.0, Double.NaN);
    }

    /** True if this configuration changes no activation (α = 0). */
    public boolean unsteered() {
        return alpha == 0.0;
    }

    /** The params as stored in the study (snake_case names, in suggestion order). */
    public Map<String, Object> toParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("layer", (long) layer); // int params are stored as long, as the Study returns them
        p.put("alpha", alpha);
        p.put("method", method.wireName());
        p.put("temperature", temperature);
        if (!Double.isNaN(topP)) {
            p.put("top_p", topP);
        }
        return p;
    }
}
