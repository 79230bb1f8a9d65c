package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * A closed interval {@code [low, high]} of a search dimension, written in JSON as {@code [low, high]}.
 *
 * @param low  lower bound (finite)
 * @param high upper bound (finite, {@code >= low}); equal bounds fix the parameter to one value
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record Range(double low, double high) {
    public Range {
        if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
            throw new IllegalArgumentException("a range needs finite low <= high, got [" + low + ", " + high + "]");
        }
    }

    /** The interval {@code [low, high]}. */
    public static Range of(double low, double high) {
        return new Range(low, high);
    }

    /** True if {@code x} lies in the interval. */
    public boolean contains(double x) {
        return x >= low && x <= high;
    }

    @Override
    public String toString() {
        return "[" + low + ", " + high + "]";
    }
}
