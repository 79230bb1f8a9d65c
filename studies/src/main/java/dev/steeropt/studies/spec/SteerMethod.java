package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The steering methods a trial can choose; their names are the categorical choices stored in trial params. */
public enum SteerMethod implements WireName {
    /** Contrastive activation addition. */
    CAA,
    /** Dynamic activation composition. */
    DAC;

    /** The constant's name as it is ({@code CAA}, {@code DAC}). */
    @Override
    public String wireName() {
        return name();
    }

    /** The method named {@code name} ({@code CAA}, {@code dac}, …). */
    @JsonCreator
    public static SteerMethod parse(String name) {
        return WireName.parse(SteerMethod.class, "steering method", name);
    }
}
