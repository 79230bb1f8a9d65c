package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt create-study}: makes an empty study and prints its name. */
@Command(name = "create-study", mixinStandardHelpOptions = true,
        description = "Create an empty study and print its name (no-name-<uuid> when --study-name is omitted).")
public final class CreateStudyCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Option(names = "--study-name", paramLabel = "NAME", description = "Name of the new study.")
    String name;
    @ArgGroup(exclusive = true)
    Directions directions;
    @Option(names = "--skip-if-exists", description = "Succeed without change if the study already exists.")
    boolean skipIfExists;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Either one direction or a list. */
    static final class Directions {
        @Option(names = "--direction", paramLabel = "minimize|maximize",
                description = "Direction of a single-objective study (default: minimize).")
        String direction;
        @Option(names = "--directions", arity = "1..*", paramLabel = "D",
                description = "Directions of a multi-objective study, e.g. --directions maximize minimize.")
        List<String> directions;
    }

    @Override
    public Integer call() {
        List<StudyDirection> dirs = new ArrayList<>();
        List<String> given = directions == null ? List.of("minimize")
                : directions.direction != null ? List.of(directions.direction) : directions.directions;
        for (String d : given) {
            try {
                dirs.add(StudyDirection.parse(d));
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage("Direction '" + d + "' is not valid", "a study is minimized or"
                        + " maximized", "Use --direction minimize, --direction maximize, or --directions D D...");
            }
        }
        String studyName = name != null ? name : "no-name-" + UUID.randomUUID();
        try (JdbcTrialStore store = storage.openForWriting()) {
            try {
                store.createStudy(studyName, dirs);
            } catch (DuplicatedStudyException e) {
                if (!skipIfExists) {
                    throw e;
                }
            }
        }
        spec.commandLine().getOut().println(studyName);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
