package dev.steeropt.studies.cli;

import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt trials --study-name S}: every trial of a study. */
@Command(name = "trials", mixinStandardHelpOptions = true,
        description = "List the trials of a study: number, state, values, params, intermediate_values, user_attrs,"
                + " datetime_start, datetime_complete (UTC), duration.")
public final class TrialsCommand implements Callable<Integer> {
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
            List<FrozenTrial> trials = store.getAllTrials(study.id(store), null);
            List<Map<String, Object>> rows = trials.stream().map(TrialRecords::of).toList();
            format.print(spec.commandLine().getOut(), rows, false);
        }
        return 0;
    }
}
