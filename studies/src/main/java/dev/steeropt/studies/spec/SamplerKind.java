package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The samplers a study can use. Names at the edges as in {@link #wireName}. */
public enum SamplerKind implements WireName {
    /** {@code tpe}: our TpeSampler (conditional categoricals, constant liar). */
    TPE,
    /** {@code random}: independent uniform draws. */
    RANDOM,
    /** {@code grid}: the optimizer's GridSampler over SearchAlgorithms#grid. */
    GRID,
    /** {@code nsga2}: the optimizer's Jenetics-based NSGA-II (Optuna's NSGAIISampler; options in StudySpec.Nsga2). */
    NSGA2;

    /** The sampler named {@code name}, case-insensitively. */
    @JsonCreator
    public static SamplerKind parse(String name) {
        return WireName.parse(SamplerKind.class, "sampler", name);
    }
}
