package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.ArrayList;
import java.util.List;

/**
 * The search space of a steering study, with trial params named {@code layer}, {@code alpha}, {@code method},
 * {@code temperature} and, for DAC only, {@code top_p} (DAC's nucleus for the KL between the unsteered and the probe
 * distribution, steering-reference §2.4). JSON form (also the {@code --search-space} override, where every key is
 * optional): {@code {"layer":[0,29],"alpha":[-4,4],"method":["CAA","DAC"],"temperature":[0,1],"top_p":[0.5,0.95]}}.
 *
 * @param layer       decoder layers, inclusive, 0-based (integers)
 * @param alpha       steering strength; the default {@code [-4, 4]} contains 0 (no steering) and negative values
 * @param method      steering methods to choose from, a non-empty subset of {@link #KNOWN_METHODS}
 * @param temperature sampling temperature; 0 is greedy decoding
 * @param topP        DAC's nucleus p in (0, 1]; suggested only in trials whose method is DAC
 */
public record SearchSpaceSpec(Range layer, Range alpha, List<SteerMethod> method, Range temperature,
        @JsonProperty("top_p") Range topP) {

    /** The methods a trial may choose, in the order they are offered to the sampler. */
    public static final List<SteerMethod> KNOWN_METHODS = List.of(SteerMethod.values());

    public SearchSpaceSpec {
        if (layer == null || alpha == null || method == null || temperature == null || topP == null) {
            throw UserFacingException.usage("Incomplete search space " + List.of(layer, alpha, method, temperature, topP),
                    "layer, alpha, method, temperature and top_p are all required", null);
        }
        if (layer.low() < 0 || layer.low() != Math.rint(layer.low()) || layer.high() != Math.rint(layer.high())) {
            throw UserFacingException.usage("Invalid layer range " + layer, "layers are integers >= 0",
                    "Use e.g. [0, 3] or --layers 0-3.");
        }
        List<SteerMethod> methods = new ArrayList<>();
        for (SteerMethod m : method) {
            if (m == null) {
                throw UserFacingException.usage("A null steering method", "known methods: " + KNOWN_METHODS,
                        "Use a subset of " + KNOWN_METHODS + " in \"method\".");
            }
            if (!methods.contains(m)) {
                methods.add(m);
            }
        }
        if (methods.isEmpty()) {
            throw UserFacingException.usage("Empty method list", "a trial needs at least one steering method",
                    "Use e.g. \"method\": [\"CAA\"].");
        }
        method = List.copyOf(methods);
        if (temperature.low() < 0 || temperature.high() > 2) {
            throw UserFacingException.usage("Invalid temperature range " + temperature, "temperatures lie in [0, 2]"
                    + " (0 = greedy)", "Use e.g. [0, 1].");
        }
        if (topP.low() <= 0 || topP.high() > 1) {
            throw UserFacingException.usage("Invalid top_p range " + topP, "DAC's nucleus p lies in (0, 1]",
                    "Use e.g. [0.5, 0.95].");
        }
    }

    /** The default space for a model with {@code numLayers} layers: every layer, α in [-4, 4], CAA and DAC, T in [0, 1]. */
    public static SearchSpaceSpec defaults(int numLayers) {
        return new SearchSpaceSpec(Range.of(0, numLayers - 1), Range.of(-4, 4), KNOWN_METHODS, Range.of(0, 1),
                Range.of(0.5, 0.95));
    }

    /** The method names offered to the sampler as categorical choices (the strings stored in trial params). */
    public List<String> methodChoices() {
        return method.stream().map(SteerMethod::wireName).toList();
    }

    /** First layer (inclusive). */
    public int layerLow() {
        return (int) layer.low();
    }

    /** Last layer (inclusive). */
    public int layerHigh() {
        return (int) layer.high();
    }

    /** A copy with another layer range. */
    public SearchSpaceSpec withLayers(int low, int high) {
        return new SearchSpaceSpec(Range.of(low, high), alpha, method, temperature, topP);
    }

    /**
     * Checks the layer range against a model.
     *
     * @throws UserFacingException naming the range and the model's layer count
     */
    public void requireLayersWithin(int numLayers) {
        if (layerHigh() >= numLayers) {
            throw UserFacingException.usage("Layer range " + layerLow() + "-" + layerHigh() + " does not fit the model",
                    "it has " + numLayers + " layers, numbered 0-" + (numLayers - 1),
                    "Use --layers a-b with b <= " + (numLayers - 1) + ".");
        }
    }
}
