package dev.steeropt.studies.cli;

import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code steeropt delete-study --study-name S}: removes a study and all its trials. */
@Command(name = "delete-study", mixinStandardHelpOptions = true,
        description = "Delete a study with all its trials. This cannot be undone.")
public final class DeleteStudyCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    StorageOptions storage;
    @Mixin
    StudyOption study;

    @Override
    public Integer call() {
        try (JdbcTrialStore store = storage.openForReading()) {
            store.deleteStudy(study.id(store));
        }
        return 0;
    }
}
