package dev.steeropt.studies.cli;

import dev.steeropt.studies.spec.WireName;

/**
 * What {@code generate}, {@code validate-zero} and {@code score} print on stdout: a human-readable report
 * ({@code text}) or one JSON document ({@code json}). The record-listing commands use {@link OutputFormat} instead.
 */
enum TextFormat implements WireName {
    /** {@code text}: lines for a reader. */
    TEXT,
    /** {@code json}: one JSON document. */
    JSON;

    /** The format named {@code name}, case-insensitively. */
    static TextFormat parse(String name) {
        return WireName.parse(TextFormat.class, "output format", name);
    }
}
