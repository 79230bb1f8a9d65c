package dev.steeropt.studies.service;

import java.util.Locale;

/** The columns the trials API sorts by ({@code ?sort=}); a parameter is {@code param:NAME}, handled beside these. */
public enum TrialSort {
    NUMBER,
    STATE,
    VALUE,
    DURATION,
    DATETIME_START;

    /** The wire name, e.g. {@code datetime_start}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
