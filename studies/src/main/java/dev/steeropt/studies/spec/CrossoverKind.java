package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.steeropt.optimizer.samplers.ga.NsgaIISampler;

/** NSGA-II's crossover operator ({@code --crossover}). Names at the edges as in {@link #wireName}. */
public enum CrossoverKind implements WireName {
    /** {@code sbx}: simulated binary crossover (Optuna's {@code SBXCrossover}; NsgaIISampler's own default). */
    SBX(NsgaIISampler.Crossover.SBX),
    /** {@code uniform}: each param from either parent (Optuna's {@code UniformCrossover}; a study's default). */
    UNIFORM(NsgaIISampler.Crossover.UNIFORM);

    private final NsgaIISampler.Crossover operator;

    CrossoverKind(NsgaIISampler.Crossover operator) {
        this.operator = operator;
    }

    /** The sampler's operator. */
    public NsgaIISampler.Crossover operator() {
        return operator;
    }

    /** The crossover named {@code name}, case-insensitively. */
    @JsonCreator
    public static CrossoverKind parse(String name) {
        return WireName.parse(CrossoverKind.class, "crossover", name);
    }
}
