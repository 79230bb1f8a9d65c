package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.WireName;
import java.util.Iterator;
import java.util.List;

/**
 * The samplers {@code ask --sampler} names, by Optuna's class names ({@code TPESampler}, {@code RandomSampler}), each
 * with the {@code --sampler-kwargs} it takes.
 */
enum AskSampler implements WireName {
    /** {@code TPESampler}: our TpeSampler; kwargs {@code seed}, {@code n_startup_trials}. */
    TPE("TPESampler", List.of("seed", "n_startup_trials")),
    /** {@code RandomSampler}: independent uniform draws; kwarg {@code seed}. */
    RANDOM("RandomSampler", List.of("seed"));

    private final String optunaName;
    private final List<String> kwargs;

    AskSampler(String optunaName, List<String> kwargs) {
        this.optunaName = optunaName;
        this.kwargs = kwargs;
    }

    /** Optuna's class name. */
    @Override
    public String wireName() {
        return optunaName;
    }

    /** The sampler named {@code name} (Optuna's class name, case-insensitively). */
    static AskSampler parse(String name) {
        return WireName.parse(AskSampler.class, "sampler", name);
    }

    /**
     * The sampler, configured by {@code kwargs} (a JSON object).
     *
     * @throws UserFacingException for a kwarg this sampler does not take
     */
    Sampler build(JsonNode kwargs) {
        for (Iterator<String> it = kwargs.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!this.kwargs.contains(k)) {
                throw UserFacingException.usage("Sampler option '" + k + "' is not supported for " + optunaName, null,
                        "Supported: " + String.join(", ", this.kwargs) + ".");
            }
        }
        switch (this) {
            case TPE: {
                TpeSampler.Builder b = TpeSampler.builder();
                if (kwargs.has("seed")) {
                    b.seed(kwargs.get("seed").asLong());
                }
                if (kwargs.has("n_startup_trials")) {
                    b.nStartupTrials(kwargs.get("n_startup_trials").asInt());
                }
                return b.build();
            }
            case RANDOM:
                return kwargs.has("seed") ? new RandomSampler(kwargs.get("seed").asLong()) : new RandomSampler();
            default:
                throw new IllegalStateException("no sampler for " + this);
        }
    }
}
