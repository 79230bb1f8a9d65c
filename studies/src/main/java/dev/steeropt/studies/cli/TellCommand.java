package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code steeropt tell}: finishes a RUNNING trial that {@code ask} handed out, with Optuna's rules: COMPLETE needs
 * one finite-or-infinite value per objective, PRUNED stores the last reported intermediate value, FAIL stores none.
 */
@Command(name = "tell", mixinStandardHelpOptions = true,
        description = "Finish a running trial: --values V... (COMPLETE) or --state pruned|fail.")
public final class TellCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TellCommand.class);

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;
    @Option(names = "--trial-number", required = true, paramLabel = "N", description = "Number of the trial.")
    int number;
    @Option(names = "--values", arity = "1..*", paramLabel = "V", description = "Objective value(s).")
    List<String> values;
    @Option(names = "--state", paramLabel = "complete|pruned|fail",
            description = "Final state (default: complete when --values are given).")
    String state;
    @Option(names = "--skip-if-finished", description = "Do nothing if the trial is already finished.")
    boolean skipIfFinished;

    @Override
    public Integer call() {
        TrialState target = parseState();
        List<Double> vals = parseValues();
        try (JdbcTrialStore store = storage.openForReading()) {
            long studyId = study.id(store);
            long trialId = store.getTrialId(studyId, number);
            FrozenTrial trial = store.getTrial(trialId);
            if (trial.state().isFinished()) {
                if (skipIfFinished) {
                    LOG.info("Trial {} is already {}; skipped.", number, trial.state());
                    return 0;
                }
                throw UserFacingException.runtime("Trial " + number + " of study '" + study.name + "' is already "
                        + trial.state(), "a finished trial cannot be told again",
                        "Pass --skip-if-finished to ignore finished trials.", null);
            }
            if (trial.state() != TrialState.RUNNING) {
                throw UserFacingException.usage("Trial " + number + " is " + trial.state(),
                        "only a RUNNING trial (one handed out by ask) can be told",
                        "Ask for a trial first with 'steeropt ask'.");
            }
            int objectives = store.getStudyDirections(studyId).size();
            List<Double> stored;
            if (target == TrialState.COMPLETE) {
                if (vals == null || vals.size() != objectives) {
                    throw UserFacingException.usage("Trial " + number + " got " + (vals == null ? 0 : vals.size())
                            + " value(s)", "study '" + study.name + "' has " + objectives + " objective(s)",
                            "Pass exactly " + objectives + " number(s) after --values.");
                }
                stored = vals;
            } else {
                if (vals != null) {
                    throw UserFacingException.usage("--values cannot be combined with --state "
                            + target.name().toLowerCase(Locale.ROOT), "only COMPLETE trials carry values",
                            "Drop --values, or drop --state.");
                }
                stored = target == TrialState.PRUNED ? lastFiniteIntermediate(trial, objectives) : null;
            }
            store.setTrialStateValues(trialId, target, stored);
            LOG.info("Told trial {} with state {} and values {}.", number, target, stored);
        }
        return 0;
    }

    private TrialState parseState() {
        if (state == null) {
            if (values == null) {
                throw UserFacingException.usage("Nothing to tell", "neither --values nor --state was given",
                        "Pass --values V... to complete the trial, or --state pruned|fail.");
            }
            return TrialState.COMPLETE;
        }
        switch (state.toLowerCase(Locale.ROOT)) {
            case "complete":
                return TrialState.COMPLETE;
            case "pruned":
                return TrialState.PRUNED;
            case "fail":
                return TrialState.FAIL;
            default:
                throw UserFacingException.usage("State '" + state + "' is not valid", null,
                        "Use --state complete, pruned or fail.");
        }
    }

    private List<Double> parseValues() {
        if (values == null) {
            return null;
        }
        List<Double> out = new ArrayList<>();
        for (String v : values) {
            double d;
            try {
                String lower = v.strip().toLowerCase(Locale.ROOT);
                d = lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") ? Double.POSITIVE_INFINITY
                        : lower.equals("-inf") || lower.equals("-infinity") ? Double.NEGATIVE_INFINITY
                        : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw UserFacingException.usage("Value '" + v + "' is not a number", null,
                        "Pass numbers after --values, e.g. --values 0.42 (inf and -inf are allowed).");
            }
            if (Double.isNaN(d)) {
                throw UserFacingException.usage("Value '" + v + "' is NaN", "a NaN objective cannot be compared",
                        "Tell the trial with --state fail instead.");
            }
            out.add(d);
        }
        return out;
    }

    /** Optuna stores a pruned single-objective trial's value at its last reported step, unless that is NaN. */
    private static List<Double> lastFiniteIntermediate(FrozenTrial trial, int objectives) {
        if (objectives != 1 || trial.intermediateValues().isEmpty()) {
            return null;
        }
        double last = trial.intermediateValues().get(trial.intermediateValues().lastKey());
        return Double.isNaN(last) ? null : List.of(last);
    }
}
