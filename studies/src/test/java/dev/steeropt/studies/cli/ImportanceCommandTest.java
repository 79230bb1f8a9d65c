package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code steeropt importance}: one {@code Error:} line and exit code 2 (or 1 for too few trials). */
class ImportanceCommandTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownEvaluatorIsAUsageError() {
        CliRun run = CliRun.of("importance", "--study-name", "s", "--evaluator", "shap");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("'shap' is not an importance evaluator (expected ped-anova or fanova)"), run.err());
    }

    @Test
    void anUnknownStudyAndAnEmptyStudyAreOneLineErrors() {
        String url = "sqlite:///" + dir.resolve("i.db").toAbsolutePath();
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            store.createStudy("empty", List.of(StudyDirection.MINIMIZE));
        }
        CliRun unknown = CliRun.of("importance", "--storage", url, "--study-name", "nope");
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().startsWith("Error: ") && unknown.err().strip().lines().count() == 1, unknown.err());
        CliRun empty = CliRun.of("importance", "--storage", url, "--study-name", "empty");
        assertEquals(1, empty.exitCode(), empty.err());
        assertTrue(empty.err().contains("has 0 COMPLETE trial(s)"), empty.err());
    }
}
