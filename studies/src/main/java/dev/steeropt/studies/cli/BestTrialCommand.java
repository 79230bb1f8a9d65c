package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt best-trial --study-name S}: the best COMPLETE trial of a single-objective study. */
@Command(name = "best-trial", mixinStandardHelpOptions = true,
        description = "Print the best COMPLETE trial of a single-objective study (ties: the lowest number).")
public final class BestTrialCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;
    @Option(names = {"-f", "--format"}, converter = OutputFormat.Converter.class, defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (JdbcTrialStore store = storage.openForReading()) {
            long id = study.id(store);
            int objectives = store.getStudyDirections(id).size();
            if (objectives != 1) {
                throw UserFacingException.usage("Study '" + study.name + "' has " + objectives + " objectives",
                        "a single best trial exists only for one objective",
                        "List the trials with 'steeropt trials --study-name " + study.name + "' and compare them.");
            }
            FrozenTrial best;
            try {
                best = store.getBestTrial(id);
            } catch (IllegalStateException e) {
                throw UserFacingException.runtime("Study '" + study.name + "' has no COMPLETE trial yet",
                        "best-trial only considers completed trials",
                        "Run trials first, or list all trials with 'steeropt trials'.", e);
            }
            format.print(spec.commandLine().getOut(), List.of(TrialRecords.of(best)), true);
        }
        return 0;
    }
}
