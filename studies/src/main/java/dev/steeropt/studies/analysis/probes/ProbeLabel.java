package dev.steeropt.studies.analysis.probes;

import dev.steeropt.studies.spec.WireName;

/** What a probe predicts ({@code analyze probes --label}). */
public enum ProbeLabel implements WireName {
    /** The model's own greedy completion graded correct (1) or not (0). */
    CORRECT,
    /** The demo world's mode rule, {@code eval.scoring.CompletionMode}, of the model's own greedy completion. */
    MODE,
    /** The problem's difficulty (synthetic) or level (MATH-500). */
    DIFFICULTY,
    /** The synthetic template, or a dataset's subject. */
    FAMILY,
    /** The input contrast {@code optimize --layers auto} uses: the gold answer (1) against a corrupted one (0). */
    GOLD_VS_CORRUPTED_ANSWER;

    /** The label named {@code name} (a usage error listing every label otherwise). */
    public static ProbeLabel parse(String name) {
        return WireName.parse(ProbeLabel.class, "probe label", name);
    }

    /** True when the label needs the model's own completions (a generation before the read). */
    public boolean needsCompletions() {
        return this == CORRECT || this == MODE;
    }
}
