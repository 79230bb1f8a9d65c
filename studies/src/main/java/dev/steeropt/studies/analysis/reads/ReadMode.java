package dev.steeropt.studies.analysis.reads;

import dev.steeropt.studies.spec.WireName;

/** Where each sequence's residual stream is read ({@code --read}). */
public enum ReadMode implements WireName {
    /** The prompt's last token, where the demo models decide their mode. */
    LAST_PROMPT_TOKEN,
    /** The mean over the model's own generated tokens (prompt + completion run once). */
    MEAN_GENERATED;

    /** The mode named {@code name} (a usage error listing both otherwise). */
    public static ReadMode parse(String name) {
        return WireName.parse(ReadMode.class, "read position", name);
    }
}
