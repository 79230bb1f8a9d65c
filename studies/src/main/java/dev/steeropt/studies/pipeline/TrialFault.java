package dev.steeropt.studies.pipeline;

import dev.steeropt.optimizer.study.MultiObjective;
import dev.steeropt.optimizer.study.Objective;
import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.studies.objective.ParamMapping;
import dev.steeropt.studies.spec.WireName;

/**
 * Objective failures injected on purpose ({@code optimize --inject-trial-failure}, a hidden option), so that a
 * self-test of the retry bound goes through the search code a user runs. The faulty objective suggests the trial's
 * params as the real one does, then throws, so the FAIL trial has the params its retry must carry. {@link #NONE} in
 * production.
 */
public enum TrialFault implements WireName {
    /** No fault. */
    NONE,
    /** The first attempt of each param set throws; a retry (a trial with {@code failed_trial}) runs normally. */
    FIRST_ATTEMPT,
    /** Every attempt throws, so the retries of the first param set run out and the run stops. */
    ALWAYS;

    /** The message of the injected failure. */
    public static final String MESSAGE = "injected trial failure";

    /** The fault named {@code name} ({@code none}, {@code first-attempt} or {@code always}). */
    public static TrialFault parse(String name) {
        return WireName.parse(TrialFault.class, "trial failure", name);
    }

    /** {@code objective}, failing as this fault says after suggesting the params through {@code mapping}. */
    Objective inject(Objective objective, ParamMapping mapping) {
        MultiObjective faulty = inject((MultiObjective) t -> new double[] {objective.evaluate(t)}, mapping);
        return this == NONE ? objective : t -> faulty.evaluate(t)[0];
    }

    /** As {@link #inject(Objective, ParamMapping)}, for a multi-objective function. */
    MultiObjective inject(MultiObjective objective, ParamMapping mapping) {
        if (this == NONE) {
            return objective;
        }
        return trial -> {
            boolean retry = RetryFailedTrialCallback.retriedTrialNumber(trial.snapshot()) != null;
            if (this == ALWAYS || !retry) {
                mapping.suggest(trial);
                throw new IllegalStateException(MESSAGE + " (--inject-trial-failure " + wireName() + ")");
            }
            return objective.evaluate(trial);
        };
    }
}
