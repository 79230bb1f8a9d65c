package dev.steeropt.studies.cli;

import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import picocli.CommandLine.Option;

/** {@code --study-name NAME}, required by the commands that work on one study. */
public final class StudyOption {
    @Option(names = "--study-name", required = true, paramLabel = "NAME", description = "The study to use.")
    String name;

    /** The study's id; an unknown name is a runtime error listing the studies that exist. */
    long id(JdbcTrialStore store) {
        return store.getStudyId(name);
    }
}
