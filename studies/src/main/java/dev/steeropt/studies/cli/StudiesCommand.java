package dev.steeropt.studies.cli;

import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt studies}: every study with its directions, trial count and first start (Optuna's columns). */
@Command(name = "studies", mixinStandardHelpOptions = true,
        description = "List the studies in a storage: name, direction, n_trials, datetime_start (UTC).")
public final class StudiesCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Option(names = {"-f", "--format"}, converter = OutputFormat.Converter.class, defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (JdbcTrialStore store = storage.openForReading()) {
            List<StudySummary> studies = store.getAllStudies();
            boolean anyAttrs = studies.stream().anyMatch(s -> !s.userAttrs().isEmpty());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StudySummary s : studies) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", s.studyName());
                r.put("direction", s.directions().stream().map(Enum::name).toList());
                r.put("n_trials", s.nTrials());
                r.put("datetime_start", TrialRecords.time(s.datetimeStart()));
                if (anyAttrs) {
                    r.put("user_attrs", s.userAttrs());
                }
                rows.add(r);
            }
            format.print(spec.commandLine().getOut(), rows, false);
        }
        return 0;
    }
}
