package dev.steeropt.studies.analysis;

import dev.steeropt.studies.spec.WireName;

/**
 * {@code --split}: the split an {@code analyze} command evaluates. Directions, means and probes are always fit on
 * {@link #TRAIN}; evaluating {@code train} itself is allowed (e.g. to look at the fit), {@link #TEST} is guarded by
 * {@link TestSplitGuard}.
 */
public enum EvalSplit implements WireName {
    /** The split directions, means and probes are fit on. */
    TRAIN,
    /** The default evaluation split. */
    VALIDATION,
    /** Held out; evaluated once per dataset and storage unless {@code --allow-test}. */
    TEST;

    /** The split named {@code name}, case-insensitively. */
    public static EvalSplit parse(String name) {
        return WireName.parse(EvalSplit.class, "split", name);
    }
}
