package dev.steeropt.studies.analysis.reads;

import dev.steeropt.studies.spec.WireName;

/** {@code --read}: where a prompt's residual stream is read. */
public enum ReadMode implements WireName {
    /** The last prompt token: the position whose output starts the answer. */
    LAST_PROMPT_TOKEN,
    /** The mean over the tokens the model generates greedily for the prompt (each model its own completion). */
    MEAN_GENERATED;

    /** The mode named {@code name}. */
    public static ReadMode parse(String name) {
        return WireName.parse(ReadMode.class, "read position", name);
    }
}
