package dev.steeropt.studies.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.importance.ImportanceMethod;
import dev.steeropt.optimizer.importance.ParamImportances;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code steeropt importance --study-name S [--evaluator ped-anova|fanova] [--format table|json]}: how much each
 * parameter mattered to the objective (Optuna's {@code get_param_importances}, normalised to sum 1 unless
 * {@code --no-normalize}).
 */
@Command(name = "importance", mixinStandardHelpOptions = true,
        description = "Parameter importances of a single-objective study from its COMPLETE trials (Optuna's"
                + " get_param_importances): ped-anova (Optuna 5's default) or fanova (Optuna 4's).")
public final class ImportanceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;
    @Option(names = "--evaluator", converter = MethodConverter.class, defaultValue = "ped-anova", paramLabel = "NAME",
            description = "ped-anova or fanova (default: ${DEFAULT-VALUE}).")
    ImportanceMethod evaluator;
    @Option(names = {"-f", "--format"}, converter = OutputFormat.Converter.class, defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
    @Option(names = "--normalize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Scale the importances to sum 1 (default: ${DEFAULT-VALUE}; --no-normalize prints raw values).")
    boolean normalize;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of fANOVA's random forest (default: ${DEFAULT-VALUE}).")
    long seed;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The JSON output: {@code {"evaluator": "ped-anova", "importances": {"x": 0.7, ...}}}. */
    record ImportanceReport(String evaluator, Map<String, Double> importances) {}

    /** Accepts the command-line names of {@link ImportanceMethod}. */
    static final class MethodConverter implements ITypeConverter<ImportanceMethod> {
        @Override
        public ImportanceMethod convert(String value) {
            ImportanceMethod m = ImportanceMethod.fromCliName(value.toLowerCase(Locale.ROOT));
            if (m == null) {
                throw new TypeConversionException("'" + value + "' is not an importance evaluator (expected "
                        + String.join(" or ", java.util.Arrays.stream(ImportanceMethod.values())
                                .map(ImportanceMethod::cliName).toList()) + ")");
            }
            return m;
        }
    }

    @Override
    public Integer call() throws JsonProcessingException {
        Map<String, Double> importances;
        try (JdbcTrialStore store = storage.openForReading()) {
            long id = study.id(store);
            List<StudyDirection> directions = store.getStudyDirections(id);
            if (directions.size() != 1) {
                throw UserFacingException.usage("Study '" + study.name + "' has " + directions.size() + " objectives",
                        "importances are computed for a single objective", "Use a single-objective study.");
            }
            List<FrozenTrial> complete = store.getAllTrials(id, EnumSet.of(TrialState.COMPLETE));
            if (complete.size() < 2) {
                throw UserFacingException.runtime("Study '" + study.name + "' has " + complete.size()
                        + " COMPLETE trial(s)", "importances need at least 2",
                        "Run more trials first (steeropt trials --study-name " + study.name + " lists them).", null);
            }
            try {
                importances = ParamImportances.compute(evaluator.create(seed), complete, directions.get(0), normalize);
            } catch (IllegalStateException e) {
                throw UserFacingException.runtime(e.getMessage(), null,
                        "Try --evaluator ped-anova, or run more trials.", e);
            }
        }
        if (format == OutputFormat.JSON) {
            spec.commandLine().getOut().println(JSON.writeValueAsString(
                    new ImportanceReport(evaluator.cliName(), importances)));
            spec.commandLine().getOut().flush();
        } else {
            List<Map<String, Object>> rows = new ArrayList<>();
            importances.forEach((param, value) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("param", param);
                r.put("importance", value);
                rows.add(r);
            });
            format.print(spec.commandLine().getOut(), rows, false);
        }
        return 0;
    }
}
