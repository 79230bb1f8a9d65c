package dev.steeropt.studies.analysis.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of the inverse-direction test on the embedded pair (fixed seed 0, 100 validation items): the
 * cross-model direction demo-hasty minus demo-careful, at strength -2, moves demo-hasty toward careful answers
 * (significantly more right, far fewer hasty); the grid is a study in SQLite that a rerun resumes without generating.
 */
class SweepCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theCrossModelDirectionSteersDemoHastyTowardCarefulAnswersAndTheStudyResumes() throws Exception {
        Path out = tmp.resolve("sweep");
        String[] args = {"analyze", "sweep", "--model", "demo-hasty", "--versus", "demo-careful", "--layers", "1-2",
            "--strengths", "-2,0", "--out", out.toString()};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve(SweepCommand.JSON).toFile());
        JsonNode base = json.get("baseline");
        assertEquals(100, base.get("n").asInt());
        assertTrue(base.get("hasty_share").asDouble() > 0.8, "demo-hasty is hasty unsteered: " + base);
        JsonNode layer1 = null;
        for (JsonNode c : json.get("cells")) {
            if (c.get("layer").asInt() == 1 && c.get("strength").asDouble() == -2) {
                layer1 = c;
            }
        }
        assertTrue(layer1 != null, json.toString());
        assertTrue(layer1.get("gain").asDouble() >= 0.10, "gain " + layer1);
        assertTrue(layer1.get("mcnemar_p").asDouble() < 0.01, "p " + layer1);
        assertTrue(layer1.get("hasty_share").asDouble() <= base.get("hasty_share").asDouble() - 0.4, "hasty " + layer1);
        assertTrue(layer1.get("mean_steps").asDouble() > base.get("mean_steps").asDouble(), "steps " + layer1);
        assertEquals("supported", json.get("hypotheses").get(0).get("verdict").asText(), json.get("hypotheses").toString());
        assertTrue(Files.size(out.resolve(SweepCommand.DOSE_PLOT)) > 1000);
        assertTrue(Files.size(out.resolve(SweepCommand.GAIN_PLOT)) > 1000);

        CliRun again = CliRun.of(args);
        assertEquals(0, again.exitCode(), again.err());
        assertFalse(again.err().contains("Sweeping"), "a complete study is not swept again: " + again.err());
        assertEquals(table(r.out()), table(again.out()), "the resumed study reports the same cells");
        try (JdbcTrialStore store = TrialStores.open("sqlite:///" + out.resolve("analysis.db"), StoreOptions.DEFAULTS)) {
            long id = store.getAllStudies().stream().filter(s -> s.studyName().startsWith("sweep-")).findFirst()
                    .orElseThrow().studyId();
            assertEquals(4, store.getAllTrials(id, Set.of(TrialState.COMPLETE)).size(), "2 layers x 2 strengths");
        }
    }

    @Test
    void aDirectionsRunFeedsTheSweepOfItsOwnModelOnly() throws Exception {
        Path dirs = tmp.resolve("dirs");
        CliRun d = CliRun.of("analyze", "directions", "--versus", "demo-careful", "--layers", "2", "--n-train", "16",
                "--n", "2", "--out", dirs.toString());
        assertEquals(0, d.exitCode(), d.err());
        Path out = tmp.resolve("s");
        CliRun r = CliRun.of("analyze", "sweep", "--directions", dirs.toString(), "--layers", "2", "--strengths", "-2",
                "--n", "10", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve(SweepCommand.JSON).toFile());
        assertEquals(1, json.get("cells").size());
        assertTrue(json.get("directions").asText().startsWith("cross_model"), json.get("directions").asText());
        CliRun other = CliRun.of("analyze", "sweep", "--model", "demo-careful", "--directions", dirs.toString(),
                "--layers", "2", "--n", "2", "--out", tmp.resolve("o").toString());
        assertEquals(2, other.exitCode(), other.err());
        assertTrue(other.err().contains("Error: --directions " + dirs + " was built for another model"), other.err());
        CliRun missing = CliRun.of("analyze", "sweep", "--directions", dirs.toString(), "--layers", "1", "--n", "2",
                "--out", tmp.resolve("m").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("Error: The direction set has no layer 1"), missing.err());
    }

    @Test
    void aSweepNeedsExactlyOneDirectionSource() {
        CliRun neither = CliRun.of("analyze", "sweep", "--out", tmp.resolve("a").toString());
        assertEquals(2, neither.exitCode());
        assertTrue(neither.err().startsWith("Error: analyze sweep needs a direction"), neither.err());
        CliRun both = CliRun.of("analyze", "sweep", "--versus", "demo-careful", "--directions", tmp.toString(),
                "--out", tmp.resolve("b").toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().startsWith("Error: --directions and --versus both given"), both.err());
    }

    /** The summary without its timing. */
    private static String table(String out) {
        return out.replaceAll(", [0-9.]+ s\\n", "\n");
    }
}
