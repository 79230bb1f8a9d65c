package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.store.jdbc.ReadOnlyQuery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt query "SELECT ..."}: one SQL statement over a read-only connection to the storage (Optuna's
 * tables). A statement that writes is refused by the database and changes nothing.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run one read-only SQL statement against the storage and print the rows.",
            "Example: steeropt query \"SELECT state, COUNT(*) AS n FROM trials GROUP BY state\""})
public final class QueryCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Option(names = {"-f", "--format"}, converter = OutputFormat.Converter.class, defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
    @Parameters(index = "0", paramLabel = "SQL", description = "The statement, e.g. \"SELECT * FROM studies\".")
    String sql;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (sql.isBlank()) {
            throw UserFacingException.usage("The SQL statement is empty", null, "Pass a statement such as"
                    + " \"SELECT * FROM studies\".");
        }
        List<Map<String, Object>> rows;
        try {
            rows = ReadOnlyQuery.run(storage.url(), sql);
        } catch (ReadOnlyQuery.WriteRefusedException | ReadOnlyQuery.BadQueryException e) {
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
        format.print(spec.commandLine().getOut(), rows, false);
        return 0;
    }
}
