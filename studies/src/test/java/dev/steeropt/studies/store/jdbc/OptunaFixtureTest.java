package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Optuna compatibility, proven without Python: databases written by Optuna 5.0.0.dev and 4.9.0 (committed under
 * {@code src/test/resources/optuna}, copied from {@code shared/fixtures/optuna}) are read and must reproduce their
 * JSON manifests exactly (exact doubles, exact datetimes to the microsecond), and a database we create must have
 * the same {@code sqlite_master} as Optuna's.
 */
class OptunaFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = OptunaFixtureTest.class.getResourceAsStream("/optuna/" + name)) {
            assertNotNull(in, "test resource optuna/" + name + " is missing (copy it from shared/fixtures/optuna)");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private JsonNode manifest(String name) throws IOException {
        try (InputStream in = OptunaFixtureTest.class.getResourceAsStream("/optuna/" + name)) {
            assertNotNull(in, "test resource optuna/" + name + " is missing");
            return JSON.readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"optuna-5.0.0.dev", "optuna-4.9.0"})
    void optunaDatabaseReproducesItsManifest(String version) throws IOException {
        JsonNode m = manifest(version + ".json");
        Path db = fixture(version + ".db");
        try (JdbcTrialStore s = TrialStores.open("sqlite:///" + db, StoreOptions.DEFAULTS.createIfMissing(false))) {
            List<StudySummary> studies = s.getAllStudies();
            assertEquals(m.get("studies").size(), studies.size());
            int checkedTrials = 0;
            for (int i = 0; i < studies.size(); i++) {
                JsonNode ms = m.get("studies").get(i);
                StudySummary summary = studies.get(i);
                long id = summary.studyId();
                assertEquals(ms.get("study_name").asText(), summary.studyName());
                assertEquals(id, s.getStudyId(ms.get("study_name").asText()));
                List<StudyDirection> dirs = new ArrayList<>();
                ms.get("directions").forEach(d -> dirs.add(StudyDirection.valueOf(d.asText())));
                assertEquals(dirs, s.getStudyDirections(id));
                assertEquals(dirs, summary.directions());
                assertJson(ms.get("user_attrs"), s.getStudyUserAttrs(id));
                assertJson(ms.get("metric_names"), s.getStudySystemAttrs(id).get("study:metric_names"));
                List<FrozenTrial> trials = s.getAllTrials(id, null);
                assertEquals(ms.get("trials").size(), trials.size());
                assertEquals(trials.size(), summary.nTrials());
                for (int n = 0; n < trials.size(); n++) {
                    checkTrial(version + " " + summary.studyName() + " #" + n, ms.get("trials").get(n), trials.get(n));
                    checkedTrials++;
                }
            }
            assertEquals(22, checkedTrials, "both fixtures hold 16 + 6 trials");
        }
    }

    private static void checkTrial(String where, JsonNode mt, FrozenTrial t) {
        assertEquals(mt.get("number").asInt(), t.number(), where);
        assertEquals(TrialState.valueOf(mt.get("state").asText()), t.state(), where);
        if (mt.get("values").isNull()) {
            assertEquals(null, t.values(), where);
        } else {
            List<Double> expected = new ArrayList<>();
            mt.get("values").forEach(v -> expected.add(number(v)));
            assertEquals(expected, t.values(), where + " values (bit-exact)");
        }
        assertEquals(names(mt.get("params")), new ArrayList<>(t.params().keySet()), where + " param order");
        for (Iterator<String> it = mt.get("params").fieldNames(); it.hasNext();) {
            String p = it.next();
            JsonNode v = mt.get("params").get(p);
            Object actual = t.params().get(p);
            if (v.isIntegralNumber() && !(t.distributions().get(p) instanceof FloatDistribution)) {
                assertEquals(v.asLong(), actual, where + " param " + p);
            } else if (v.isNumber()) {
                assertEquals(v.asDouble(), actual, where + " param " + p);
            } else {
                assertEquals(v.asText(), actual, where + " param " + p);
            }
            assertEquals(DistributionJson.fromJson(mt.get("distributions").get(p).asText()),
                    t.distributions().get(p), where + " distribution of " + p);
        }
        assertEquals(mt.get("intermediate_values").size(), t.intermediateValues().size(), where);
        mt.get("intermediate_values").fields().forEachRemaining(e -> assertEquals(number(e.getValue()),
                t.intermediateValues().get(Integer.parseInt(e.getKey())), where + " step " + e.getKey()));
        assertJson(mt.get("user_attrs"), t.userAttrs());
        assertJson(mt.get("system_attrs"), t.systemAttrs());
        assertEquals(time(mt.get("datetime_start")), t.datetimeStart(), where + " datetime_start");
        assertEquals(time(mt.get("datetime_complete")), t.datetimeComplete(), where + " datetime_complete");
    }

    private static double number(JsonNode v) {
        if (v.isTextual()) { // the manifests would spell non-finite values as strings
            return Double.parseDouble(v.asText().replace("inf", "Infinity"));
        }
        return v.asDouble();
    }

    private static List<String> names(JsonNode obj) {
        List<String> out = new ArrayList<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Instant time(JsonNode v) {
        return v == null || v.isNull() ? null : LocalDateTime.parse(v.asText()).toInstant(ZoneOffset.UTC);
    }

    /** JSON equality with numbers compared by value (an int read as Long equals the manifest's int). */
    private static void assertJson(JsonNode expected, Object actual) {
        JsonNode got = JSON.valueToTree(actual);
        assertTrue(expected.equals((a, b) -> a.isNumber() && b.isNumber()
                ? (a.isIntegralNumber() == b.isIntegralNumber() && Double.compare(a.asDouble(), b.asDouble()) == 0
                        && a.asLong() == b.asLong() ? 0 : 1)
                : a.equals(b) ? 0 : 1, got), "expected JSON " + expected + " but got " + got);
    }

    @Test
    void newDatabaseHasExactlyOptunasSchema() throws Exception {
        Path ours = dir.resolve("ours.db");
        try (JdbcTrialStore s = TrialStores.open("sqlite:///" + ours, StoreOptions.DEFAULTS)) {
            s.createStudy("x", List.of(StudyDirection.MINIMIZE));
        }
        Set<String> expected = sqliteMaster(fixture("optuna-5.0.0.dev.db"));
        assertEquals(expected, sqliteMaster(fixture("optuna-4.9.0.db")), "both Optuna versions share one schema");
        assertEquals(expected, sqliteMaster(ours));
        assertEquals(List.of("v3.2.0.a"), column(ours, "SELECT version_num FROM alembic_version"));
        assertEquals(List.of("1|12"), column(ours, "SELECT version_info_id || '|' || schema_version FROM version_info"));
    }

    private static Set<String> sqliteMaster(Path db) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return out;
    }

    private static List<String> column(Path db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void valuesWeWriteAreStoredInOptunasRepresentation() throws Exception {
        Path db = dir.resolve("repr.db");
        try (JdbcTrialStore s = TrialStores.open("sqlite:///" + db, StoreOptions.DEFAULTS)) {
            long study = s.createStudy("repr", List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE));
            long t = s.createTrial(study, null);
            s.setTrialParam(t, "alpha", 1.5, FloatDistribution.of(-4, 4));
            s.setTrialIntermediateValue(t, 0, Double.NaN);
            s.setTrialIntermediateValue(t, 1, Double.NEGATIVE_INFINITY);
            s.setTrialUserAttr(t, "fixed", Map.of("layer", 3));
            s.setTrialStateValues(t, TrialState.COMPLETE, List.of(Double.POSITIVE_INFINITY, 0.5));
        }
        assertEquals(List.of("0|null|INF_POS", "1|0.5|FINITE"), column(db, "SELECT objective || '|' ||"
                + " coalesce(value, 'null') || '|' || value_type FROM trial_values ORDER BY objective"));
        assertEquals(List.of("0|null|NAN", "1|null|INF_NEG"), column(db, "SELECT step || '|' ||"
                + " coalesce(intermediate_value, 'null') || '|' || intermediate_value_type"
                + " FROM trial_intermediate_values ORDER BY step"));
        assertEquals(List.of("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": -4.0,"
                + " \"high\": 4.0, \"log\": false}}"), column(db, "SELECT distribution_json FROM trial_params"),
                "distribution_json must be byte-identical to what Optuna writes");
        assertEquals(List.of("{\"layer\": 3}"), column(db, "SELECT value_json FROM trial_user_attributes"));
        assertEquals(List.of("MINIMIZE", "MAXIMIZE"),
                column(db, "SELECT direction FROM study_directions ORDER BY objective"));
        List<String> times = column(db, "SELECT datetime_start || '|' || datetime_complete FROM trials");
        assertTrue(times.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\|"
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), "SQLAlchemy's DATETIME text: " + times);
    }

    @Test
    void weCanContinueAnOptunaStudy() throws IOException {
        Path db = fixture("optuna-5.0.0.dev.db");
        try (JdbcTrialStore s = TrialStores.open("sqlite:///" + db, StoreOptions.DEFAULTS)) {
            long study = s.getStudyId("steer-single");
            FrozenTrial waiting = s.getAllTrials(study, Set.of(TrialState.WAITING)).get(0);
            assertTrue(s.setTrialStateValues(waiting.trialId(), TrialState.RUNNING, null));
            long t = s.createTrial(study, null);
            assertEquals(16, s.getTrial(t).number());
            s.setTrialParam(t, "layer", 4, DistributionJson.fromJson("{\"name\": \"IntDistribution\", \"attributes\":"
                    + " {\"log\": false, \"step\": 1, \"low\": 0, \"high\": 11}}"));
            assertThrows(IllegalArgumentException.class, () -> s.setTrialParam(t, "alpha", 0.5,
                    FloatDistribution.log(0.1, 1)), "Optuna's stored distribution of alpha is not log");
            s.setTrialStateValues(t, TrialState.COMPLETE, List.of(0.9));
            assertEquals(16, s.getBestTrial(study).number());
        }
    }

    @Test
    void unknownAlembicRevisionIsRefusedWithTheFix() throws Exception {
        Path db = fixture("optuna-4.9.0.db");
        execute(db, "UPDATE alembic_version SET version_num = 'v9.1.0.a'");
        StorageException e = assertThrows(StorageException.class,
                () -> TrialStores.open("sqlite:///" + db, StoreOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("v9.1.0.a") && e.getMessage().contains("newer Optuna"), e.getMessage());

        execute(db, "UPDATE alembic_version SET version_num = 'v3.0.0.d'");
        e = assertThrows(StorageException.class, () -> TrialStores.open("sqlite:///" + db, StoreOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("optuna storage upgrade"), e.getMessage());
    }

    private static void execute(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
