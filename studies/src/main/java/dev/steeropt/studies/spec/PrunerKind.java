package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The pruners a study can use. Names at the edges as in {@link #wireName}. */
public enum PrunerKind implements WireName {
    /** {@code median}: prune below the median of earlier trials at the same step. */
    MEDIAN("median"),
    /** {@code percentile}: prune below a percentile of earlier trials. */
    PERCENTILE("percentile"),
    /** {@code none}: never prune. */
    NONE("none");

    private final String wireName;

    PrunerKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    /** The wire name, so that text built from it (cache keys, messages) reads as before. */
    @Override
    public String toString() {
        return wireName;
    }

    /** The pruner named {@code name}, case-insensitively. */
    @JsonCreator
    public static PrunerKind parse(String name) {
        return WireName.parse(PrunerKind.class, "pruner", name);
    }
}
