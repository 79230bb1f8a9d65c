package dev.steeropt.studies.analysis.lens;

import dev.steeropt.studies.spec.WireName;

/** Which reference text's first token the logit lens tracks ({@code --gold}). */
public enum GoldToken implements WireName {
    /** The first token of the worked reference solution: what a correct completion writes right after the prompt. */
    SOLUTION,
    /** The first token of the final answer (e.g. the number after {@code ####}). */
    ANSWER;

    /** The target named {@code name} (a usage error listing both otherwise). */
    public static GoldToken parse(String name) {
        return WireName.parse(GoldToken.class, "gold token", name);
    }
}
