package dev.steeropt.optimizer.distributions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A choice among a fixed list of values: {@code null}, {@link Boolean}, {@link Long}/{@link Integer},
 * {@link Double} or {@link String}. The internal form is the index of the choice.
 */
public record CategoricalDistribution(List<Object> choices) implements Distribution {

    public CategoricalDistribution {
        Objects.requireNonNull(choices, "choices");
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("CategoricalDistribution needs at least one choice");
        }
        List<Object> copy = new ArrayList<>(choices.size());
        for (Object c : choices) {
            if (c != null && !(c instanceof String) && !(c instanceof Boolean) && !(c instanceof Double)
                    && !(c instanceof Long) && !(c instanceof Integer) && !(c instanceof Float)) {
                throw new IllegalArgumentException("CategoricalDistribution choices must be null, bool, int, float or str; got "
                        + c.getClass().getSimpleName() + " " + c);
            }
            copy.add(c instanceof Integer i ? Long.valueOf(i) : c instanceof Float f ? Double.valueOf(f) : c);
        }
        choices = Collections.unmodifiableList(copy);
    }

    /** A choice among the given values. */
    public static CategoricalDistribution of(Object... choices) {
        return new CategoricalDistribution(java.util.Arrays.asList(choices));
    }

    @Override
    public double toInternal(Object external) {
        Object key = external instanceof Integer i ? Long.valueOf(i) : external instanceof Float f ? Double.valueOf(f) : external;
        for (int i = 0; i < choices.size(); i++) {
            if (Objects.equals(choices.get(i), key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("'" + external + "' is not one of the choices " + choices);
    }

    @Override
    public Object toExternal(double internal) {
        int i = (int) internal;
        if (i != internal || i < 0 || i >= choices.size()) {
            throw new IllegalArgumentException("categorical index " + internal + " out of range for " + choices);
        }
        return choices.get(i);
    }

    @Override
    public boolean contains(double internal) {
        int i = (int) internal;
        return i == internal && 0 <= i && i < choices.size();
    }

    @Override
    public boolean isSingle() {
        return choices.size() == 1;
    }
}
