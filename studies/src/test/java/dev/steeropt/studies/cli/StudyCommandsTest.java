package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** studies, create-study, delete-study, trials, best-trial, export and tell, on a real SQLite file. */
class StudyCommandsTest {
    /** Reads our JSON, which spells infinite values as Python's json.dumps does (-Infinity). */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir
    Path dir;
    String url;

    @BeforeEach
    void populate() {
        url = "sqlite:///" + dir.resolve("cli.db");
        try (JdbcTrialStore s = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long study = s.createStudy("s1", List.of(StudyDirection.MINIMIZE));
            double[] values = {1.5, 0.5};
            for (double v : values) {
                long t = s.createTrial(study, null);
                s.setTrialParam(t, "x", v, FloatDistribution.of(-4, 4));
                s.setTrialParam(t, "method", 1, CategoricalDistribution.of("CAA", "DAC"));
                s.setTrialIntermediateValue(t, 0, v + 1);
                s.setTrialStateValues(t, TrialState.COMPLETE, List.of(v));
            }
            long pruned = s.createTrial(study, null);
            s.setTrialParam(pruned, "layer", 3, IntDistribution.of(0, 23));
            s.setTrialIntermediateValue(pruned, 0, 9.0);
            s.setTrialStateValues(pruned, TrialState.PRUNED, List.of(9.0));
            s.createTrial(study, null); // number 3 stays RUNNING
        }
    }

    private static void assertClean(CliRun r) {
        assertFalse(r.err().contains("\tat "), "no stack trace expected:\n" + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one-line error expected:\n" + r.err());
    }

    @Test
    void studiesListsNameDirectionCountAndStart() throws Exception {
        CliRun table = CliRun.of("studies", "--storage", url);
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("| name ") && table.out().contains("| s1 "), table.out());
        assertTrue(table.out().startsWith("+-"), table.out());
        CliRun json = CliRun.of("studies", "--storage", url, "--format", "json");
        JsonNode arr = JSON.readTree(json.out());
        assertEquals(1, arr.size());
        assertEquals("s1", arr.get(0).get("name").asText());
        assertEquals("MINIMIZE", arr.get(0).get("direction").get(0).asText());
        assertEquals(4, arr.get(0).get("n_trials").asInt());
        assertTrue(arr.get(0).get("datetime_start").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
    }

    @Test
    void trialsPrintsEveryTrialAsJsonCsvAndTable() throws Exception {
        CliRun r = CliRun.of("trials", "--storage", url, "--study-name", "s1", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode arr = JSON.readTree(r.out());
        assertEquals(4, arr.size());
        JsonNode t0 = arr.get(0);
        assertEquals(0, t0.get("number").asInt());
        assertEquals("COMPLETE", t0.get("state").asText());
        assertEquals(1.5, t0.get("values").get(0).asDouble());
        assertEquals(List.of("method", "x"), names(t0.get("params")), "params sorted by name");
        assertEquals("DAC", t0.get("params").get("method").asText());
        assertEquals(2.5, t0.get("intermediate_values").get("0").asDouble());
        assertTrue(t0.get("duration").asText().matches("\\d+:\\d\\d:\\d\\d(\\.\\d{6})?"), t0.toString());
        assertEquals("RUNNING", arr.get(3).get("state").asText());
        assertTrue(arr.get(3).get("values").isNull());
        for (String field : List.of("number", "state", "values", "params", "intermediate_values", "user_attrs",
                "datetime_start", "datetime_complete", "duration")) {
            assertTrue(t0.has(field), "missing " + field);
        }
        CliRun csv = CliRun.of("trials", "--storage", url, "--study-name", "s1", "--format", "csv");
        assertEquals(5, csv.out().strip().lines().count(), csv.out());
        assertTrue(csv.out().startsWith("number,state,values,params,"), csv.out());
        CliRun table = CliRun.of("trials", "--storage", url, "--study-name", "s1");
        assertEquals(0, table.exitCode());
        assertTrue(table.out().contains("| PRUNED "), table.out());
    }

    @Test
    void bestTrialIsTheMinimum() throws Exception {
        CliRun r = CliRun.of("best-trial", "--storage", url, "--study-name", "s1", "-f", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode best = JSON.readTree(r.out());
        assertEquals(1, best.get("number").asInt());
        assertEquals(0.5, best.get("values").get(0).asDouble());
    }

    @Test
    void createStudyPrintsTheNameAndRefusesDuplicatesUnlessSkipped() throws Exception {
        CliRun r = CliRun.of("create-study", "--storage", url, "--study-name", "multi", "--directions", "maximize",
                "minimize");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("multi", r.out().strip());
        JsonNode arr = JSON.readTree(CliRun.of("studies", "--storage", url, "-f", "json").out());
        assertEquals("[\"MAXIMIZE\",\"MINIMIZE\"]", arr.get(1).get("direction").toString());
        CliRun dup = CliRun.of("create-study", "--storage", url, "--study-name", "multi");
        assertEquals(1, dup.exitCode());
        assertTrue(dup.err().contains("already exists"), dup.err());
        assertClean(dup);
        assertEquals(0, CliRun.of("create-study", "--storage", url, "--study-name", "multi", "--skip-if-exists")
                .exitCode());
        CliRun noName = CliRun.of("create-study", "--storage", url);
        assertTrue(noName.out().strip().startsWith("no-name-"), noName.out());
        CliRun bad = CliRun.of("create-study", "--storage", url, "--study-name", "x", "--direction", "sideways");
        assertEquals(2, bad.exitCode());
        assertClean(bad);
    }

    @Test
    void deleteStudyRemovesIt() throws Exception {
        assertEquals(0, CliRun.of("delete-study", "--storage", url, "--study-name", "s1").exitCode());
        assertEquals("[]", CliRun.of("studies", "--storage", url, "-f", "json").out().strip());
    }

    @Test
    void tellCompletesPrunesOrFailsARunningTrialOnce() throws Exception {
        CliRun r = CliRun.of("tell", "--storage", url, "--study-name", "s1", "--trial-number", "3", "--values",
                "-inf");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode best = JSON.readTree(CliRun.of("best-trial", "--storage", url, "--study-name", "s1", "-f", "json")
                .out());
        assertEquals(3, best.get("number").asInt(), "-inf is the best a minimised study can get");
        CliRun again = CliRun.of("tell", "--storage", url, "--study-name", "s1", "--trial-number", "3", "--state",
                "fail");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("already COMPLETE"), again.err());
        assertClean(again);
        assertEquals(0, CliRun.of("tell", "--storage", url, "--study-name", "s1", "--trial-number", "3", "--state",
                "fail", "--skip-if-finished").exitCode());
        CliRun nan = CliRun.of("tell", "--storage", url, "--study-name", "s1", "--trial-number", "3", "--values",
                "nan");
        assertEquals(2, nan.exitCode());
        assertClean(nan);
    }

    @Test
    void exportWritesFlatCsvAndNestedJson() throws Exception {
        CliRun csv = CliRun.of("export", "--storage", url, "--study-name", "s1", "--format", "csv");
        assertEquals(0, csv.exitCode(), csv.err());
        List<String> lines = csv.out().strip().lines().toList();
        assertEquals("number,state,values_0,datetime_start,datetime_complete,duration,params_layer,params_method,"
                + "params_x,intermediate_values", lines.get(0));
        assertTrue(lines.get(1).startsWith("0,COMPLETE,1.5,"), lines.get(1));
        Path file = dir.resolve("out.json");
        assertEquals(0, CliRun.of("export", "--storage", url, "--study-name", "s1", "-f", "json", "-o",
                file.toString()).exitCode());
        JsonNode arr = JSON.readTree(Files.readString(file));
        assertEquals("FloatDistribution", arr.get(0).get("distributions").get("x").get("name").asText());
        assertEquals(2, CliRun.of("export", "--storage", url, "--study-name", "s1", "-f", "xml").exitCode());
    }

    @Test
    void badInputGivesOneLineErrorsAndExitCodes() {
        CliRun badUrl = CliRun.of("studies", "--storage", "mysql://x/y");
        assertEquals(2, badUrl.exitCode());
        assertTrue(badUrl.err().contains("not supported"), badUrl.err());
        assertClean(badUrl);

        CliRun missing = CliRun.of("trials", "--storage", "sqlite:///" + dir.resolve("nope.db"), "--study-name", "x");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertClean(missing);
        assertFalse(Files.exists(dir.resolve("nope.db")), "a read command must not create the file");

        CliRun unknown = CliRun.of("trials", "--storage", url, "--study-name", "nope");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("'nope'") && unknown.err().contains("s1"), unknown.err());
        assertClean(unknown);

        CliRun noStudy = CliRun.of("trials", "--storage", url);
        assertEquals(2, noStudy.exitCode());
    }

    private static List<String> names(JsonNode obj) {
        List<String> out = new java.util.ArrayList<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
