package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** query: rows as table/json/csv over a read-only connection; writes are refused and change nothing. */
class QueryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static void populate(String url) {
        try (JdbcTrialStore s = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long study = s.createStudy("q", List.of(StudyDirection.MAXIMIZE));
            for (int i = 0; i < 3; i++) {
                long t = s.createTrial(study, null);
                s.setTrialParam(t, "alpha", i, FloatDistribution.of(-4, 4));
                s.setTrialStateValues(t, i == 2 ? TrialState.PRUNED : TrialState.COMPLETE, List.of(i * 0.25));
            }
        }
    }

    @Test
    void selectOnSqlitePrintsRowsInEachFormat() throws Exception {
        String url = "sqlite:///" + dir.resolve("q.db");
        populate(url);
        String sql = "SELECT state, COUNT(*) AS n FROM trials GROUP BY state ORDER BY state";
        CliRun json = CliRun.of("query", "--storage", url, "-f", "json", sql);
        assertEquals(0, json.exitCode(), json.err());
        assertEquals(JSON.readTree("[{\"state\":\"COMPLETE\",\"n\":2},{\"state\":\"PRUNED\",\"n\":1}]"),
                JSON.readTree(json.out()));
        CliRun csv = CliRun.of("query", "--storage", url, "-f", "csv", sql);
        assertEquals("state,n\nCOMPLETE,2\nPRUNED,1", csv.out().strip());
        CliRun table = CliRun.of("query", "--storage", url, sql);
        assertTrue(table.out().contains("| COMPLETE | 2 |"), table.out());
    }

    @Test
    void writesAreRefusedOnSqliteAndChangeNothing() throws Exception {
        String url = "sqlite:///" + dir.resolve("w.db");
        populate(url);
        for (String write : List.of("DELETE FROM trials", "UPDATE trials SET state = 'FAIL'",
                "INSERT INTO studies (study_name) VALUES ('evil')", "DROP TABLE trial_values")) {
            CliRun r = CliRun.of("query", "--storage", url, write);
            assertEquals(2, r.exitCode(), write + ": " + r.err());
            assertTrue(r.err().contains("nothing was changed"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        CliRun count = CliRun.of("query", "--storage", url, "-f", "csv",
                "SELECT (SELECT COUNT(*) FROM trials) AS t, (SELECT COUNT(*) FROM studies) AS s,"
                        + " (SELECT COUNT(*) FROM trial_values) AS v, (SELECT COUNT(*) FROM trials"
                        + " WHERE state = 'FAIL') AS f");
        assertEquals("t,s,v,f\n3,1,3,0", count.out().strip());
    }

    @Test
    void badSqlAndMissingFileGiveOneLineErrors() {
        String url = "sqlite:///" + dir.resolve("b.db");
        populate(url);
        CliRun bad = CliRun.of("query", "--storage", url, "SELECT nope FROM nowhere");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("query failed"), bad.err());
        CliRun missing = CliRun.of("query", "--storage", "sqlite:///" + dir.resolve("missing.db"), "SELECT 1");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    @Tag("postgres")
    void postgresQueryRunsInAReadOnlyTransaction() throws Exception {
        String url = EmbeddedPostgres.newDatabaseUrl();
        populate(url);
        CliRun json = CliRun.of("query", "--storage", url, "-f", "json",
                "SELECT t.number, v.value FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id"
                        + " WHERE t.state = 'COMPLETE' ORDER BY v.value DESC LIMIT 1");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode best = JSON.readTree(json.out()).get(0);
        assertEquals(1, best.get("number").asInt());
        assertEquals(0.25, best.get("value").asDouble());
        for (String write : List.of("DELETE FROM trial_values", "UPDATE trials SET state = 'FAIL'",
                "COMMIT; DELETE FROM trial_values")) {
            CliRun r = CliRun.of("query", "--storage", url, write);
            assertEquals(2, r.exitCode(), write + ": " + r.err());
        }
        CliRun count = CliRun.of("query", "--storage", url, "-f", "csv", "SELECT COUNT(*) AS n FROM trial_values");
        assertEquals("n\n3", count.out().strip());
    }
}
