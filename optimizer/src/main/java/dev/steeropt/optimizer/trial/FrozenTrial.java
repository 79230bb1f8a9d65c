package dev.steeropt.optimizer.trial;

import dev.steeropt.optimizer.distributions.Distribution;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of one trial, as Optuna's {@code FrozenTrial}.
 *
 * <p>Maps are copied and unmodifiable; {@code params} holds external values (Double, Long, or the categorical
 * choice) in suggestion order, {@code distributions} the distribution of each. Attribute values are JSON-compatible
 * Java objects (null, Boolean, Number, String, List, Map).
 *
 * @param trialId    storage-wide id
 * @param number     0-based number of the trial within its study
 * @param values     objective values, or {@code null} unless COMPLETE (or PRUNED with a last intermediate value)
 * @param datetimeStart    when the trial started running, or {@code null} for WAITING
 * @param datetimeComplete when it finished, or {@code null}
 */
public record FrozenTrial(
        long trialId,
        int number,
        TrialState state,
        List<Double> values,
        Instant datetimeStart,
        Instant datetimeComplete,
        Map<String, Object> params,
        Map<String, Distribution> distributions,
        Map<String, Object> userAttrs,
        Map<String, Object> systemAttrs,
        SortedMap<Integer, Double> intermediateValues) {

    public FrozenTrial {
        Objects.requireNonNull(state, "state");
        values = values == null ? null : List.copyOf(values);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
        distributions = Collections.unmodifiableMap(new LinkedHashMap<>(distributions == null ? Map.of() : distributions));
        userAttrs = Collections.unmodifiableMap(new LinkedHashMap<>(userAttrs == null ? Map.of() : userAttrs));
        systemAttrs = Collections.unmodifiableMap(new LinkedHashMap<>(systemAttrs == null ? Map.of() : systemAttrs));
        intermediateValues = Collections.unmodifiableSortedMap(
                new TreeMap<>(intermediateValues == null ? Map.of() : intermediateValues));
        if (!params.keySet().equals(distributions.keySet())) {
            throw new IllegalArgumentException("params " + params.keySet() + " and distributions "
                    + distributions.keySet() + " must name the same parameters");
        }
    }

    /** The single objective value; throws if the study has several objectives or the trial has none. */
    public double value() {
        if (values == null || values.size() != 1) {
            throw new IllegalStateException("trial " + number + " has values " + values + ", not exactly one");
        }
        return values.get(0);
    }

    /** The internal (stored) form of a parameter's value. */
    public double internalParam(String name) {
        Distribution d = distributions.get(name);
        if (d == null) {
            throw new IllegalArgumentException("trial " + number + " has no parameter '" + name + "'");
        }
        return d.toInternal(params.get(name));
    }

    /** The largest step reported, if any. */
    public java.util.OptionalInt lastStep() {
        return intermediateValues.isEmpty() ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(intermediateValues.lastKey());
    }
}
