package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * Which extraction rule grades the search objective (both are always reported). Names at the edges as in
 * {@link #wireName}: {@code flexible}, {@code strict}.
 */
public enum Metric implements WireName {
    /** {@code flexible}: the last number of the completion (GSM8K; MATH: equivalence of the boxed answer). */
    FLEXIBLE,
    /** {@code strict}: GSM8K's {@code #### N} (MATH: the exact normal form of the last {@code \boxed{}}). */
    STRICT;

    /** The metric named {@code name}, case-insensitively. */
    @JsonCreator
    public static Metric parse(String name) {
        return WireName.parse(Metric.class, "metric", name);
    }
}
