package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The pruners a study can use. Names at the edges as in {@link #wireName}. */
public enum PrunerKind implements WireName {
    /** {@code median}: prune below the median of earlier trials at the same step. */
    MEDIAN,
    /** {@code percentile}: prune below a percentile of earlier trials. */
    PERCENTILE,
    /** {@code none}: never prune. */
    NONE;

    /** The pruner named {@code name}, case-insensitively. */
    @JsonCreator
    public static PrunerKind parse(String name) {
        return WireName.parse(PrunerKind.class, "pruner", name);
    }
}
