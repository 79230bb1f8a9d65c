package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The samplers a study can use. Names at the edges as in {@link #wireName}. */
public enum SamplerKind implements WireName {
    /** {@code tpe}: our TpeSampler (conditional categoricals, constant liar). */
    TPE("tpe"),
    /** {@code random}: independent uniform draws. */
    RANDOM("random"),
    /** {@code grid}: the optimizer's GridSampler over SearchAlgorithms#grid. */
    GRID("grid");

    private final String wireName;

    SamplerKind(String wireName) {
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

    /** The sampler named {@code name}, case-insensitively. */
    @JsonCreator
    public static SamplerKind parse(String name) {
        return WireName.parse(SamplerKind.class, "sampler", name);
    }
}
