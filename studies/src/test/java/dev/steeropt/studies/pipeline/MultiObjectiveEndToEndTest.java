package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.pipeline.multi.FrontEvaluation;
import dev.steeropt.studies.pipeline.multi.ParetoArtifacts;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real multi-objective {@code optimize} study ({@code --objectives accuracy,tokens}, TPE, 6 trials, knee rule,
 * {@code --test-also 1}) on the tiny fixture model, read back: the database's two directions, Python Optuna's
 * {@code load_study(...).best_trials} (skipped, saying why, without an Optuna 5.0 venv), the rule applied and recorded
 * before the test, one test evaluation and the refusal of a second, the artifacts' keys, and the refusals of a
 * changed rule on resume and of a pruner.
 */
class MultiObjectiveEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    private static Path out;
    private static Path data;
    private static String url;
    private static CliRun run;

    @BeforeAll
    static void optimize() throws Exception {
        data = OptimizeRuns.writeData(tmp.resolve("data"));
        out = tmp.resolve("out");
        url = "sqlite:///" + out.resolve("study.db");
        run = CliRun.of(args("multi", "--objectives", "accuracy,tokens", "--test-also", "1"));
        assertEquals(0, run.exitCode(), run.err());
    }

    private static String[] args(String name, String... extra) {
        return OptimizeRuns.args(data, url, out, name, 6, 4, extra).toArray(String[]::new);
    }

    private static JsonNode read(String name) throws Exception {
        return JSON.readTree(out.resolve(name).toFile());
    }

    @Test
    void theDatabaseHoldsTwoDirectionsAndEveryTrialTwoValues() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:" + url.replace("sqlite:///", "sqlite:"))) {
            List<String> dirs = new ArrayList<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT d.direction FROM study_directions d JOIN"
                    + " studies s ON s.study_id = d.study_id WHERE s.study_name = 'multi' ORDER BY d.objective")) {
                while (r.next()) {
                    dirs.add(r.getString(1));
                }
            }
            assertEquals(List.of("MAXIMIZE", "MINIMIZE"), dirs);
            try (ResultSet r = c.createStatement().executeQuery("SELECT t.number, COUNT(v.objective) FROM trials t"
                    + " LEFT JOIN trial_values v ON v.trial_id = t.trial_id WHERE t.state = 'COMPLETE' GROUP BY"
                    + " t.number")) {
                int n = 0;
                while (r.next()) {
                    assertEquals(2, r.getInt(2), "trial " + r.getInt(1) + " has both values");
                    n++;
                }
                assertEquals(6, n, "nothing is pruned: all 6 trials complete");
            }
            try (ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM trial_intermediate_values")) {
                assertEquals(0, r.getInt(1), "a multi-objective study writes no intermediate values");
            }
        }
    }

    @Test
    void optunaReadsTheParetoFront() throws Exception {
        String python = python();
        assumeTrue(python != null, "no Python with optuna 5.0.0 (run .ci/run to make ../.venv-optuna, or pass"
                + " -Dsteeropt.optuna-python=PATH)");
        Process p = new ProcessBuilder(python, Path.of("tools", "optuna-front.py").toString(), url, "multi")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "optuna did not finish in 3 minutes");
        assertEquals(0, p.exitValue(), text);
        JsonNode optuna = JSON.readTree(text);
        assertEquals("5.0.0", optuna.get("optuna").asText());
        assertEquals(List.of("MAXIMIZE", "MINIMIZE"), texts(optuna.get("directions")));
        Set<Integer> theirs = new TreeSet<>();
        optuna.get("best_trials").forEach(t -> theirs.add(t.get("number").asInt()));
        Set<Integer> ours = new TreeSet<>();
        read(ParetoArtifacts.JSON).get("front").forEach(t -> ours.add(t.get("trial").asInt()));
        assertEquals(ours, theirs, "Optuna's best_trials is our validation front");
        for (JsonNode t : optuna.get("best_trials")) {
            for (JsonNode f : read(ParetoArtifacts.JSON).get("front")) {
                if (f.get("trial").asInt() == t.get("number").asInt()) {
                    assertEquals(f.get("accuracy").asDouble(), t.get("values").get(0).asDouble(), 0.0);
                    assertEquals(f.get("tokens").asDouble(), t.get("values").get(1).asDouble(), 0.0);
                }
            }
        }
    }

    @Test
    void theRuleIsAppliedRecordedAndTestedOnce() throws Exception {
        JsonNode fin = read("final_results.json");
        JsonNode multi = fin.get("multi_objective");
        assertEquals("knee", multi.get("selection").asText());
        int chosen = multi.get("chosen_trial").asInt();
        assertEquals(chosen, fin.get("best_trial").asInt());
        assertEquals(0, multi.get("baseline").get("trial").asInt());
        assertEquals(0.0, multi.get("baseline").get("params").get("alpha").asDouble());
        JsonNode front = read(ParetoArtifacts.JSON).get("front");
        // the knee recomputed here from the stored front: normalised signed distance above the extremes' line
        assertEquals(knee(front), chosen);
        assertEquals(Math.min(2, front.size()), multi.get("tested").size(), "the chosen point and one more");
        assertEquals(chosen, multi.get("tested").get(0).get("validation").get("trial").asInt());
        for (JsonNode t : multi.get("tested")) {
            double p = t.get("test").get("mcnemar").get("p_value").asDouble();
            assertTrue(t.get("accuracy_p_holm").asDouble() >= p, "Holm never lowers a p-value: " + t);
            JsonNode k = t.get("tokens");
            assertEquals(k.get("baseline_mean_tokens").asDouble() - k.get("mean_tokens").asDouble(),
                    k.get("reduction").asDouble(), 1e-9);
            assertEquals(t.get("test").get("best").get("mean_generated_tokens").asDouble(),
                    k.get("mean_tokens").asDouble(), 1e-9);
        }
        // the top-level items are the chosen configuration's
        assertEquals(multi.get("tested").get(0).get("test").get("best").get("mean_generated_tokens").asDouble(),
                mean(fin.get("items")), 1e-9);
        try (TrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            Map<String, Object> attrs = store.getStudySystemAttrs(store.getStudyId("multi"));
            @SuppressWarnings("unchecked")
            Map<String, Object> sel = (Map<String, Object>) attrs.get(FrontEvaluation.SELECTION_ATTR);
            assertNotNull(sel, "the choice is recorded in the study");
            assertEquals("knee", sel.get("rule"));
            assertEquals(chosen, ((Number) sel.get("chosen_trial")).intValue());
            assertNotNull(attrs.get(StudyManager.TEST_ATTR));
            assertNull(attrs.get(StudyManager.RETEST_ATTR), "one test evaluation");
        }
        assertTrue(run.out().contains("Pre-registered rule --select knee chose trial #" + chosen), run.out());
    }

    @Test
    void aSecondTestEvaluationIsRefused() {
        CliRun again = CliRun.of(args("multi", "--objectives", "accuracy,tokens", "--test-also", "1"));
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(again.err().contains("already evaluated its test split once"), again.err());
    }

    @Test
    void theRuleCannotChangeOnResume() {
        CliRun other = CliRun.of(args("multi", "--objectives", "accuracy,tokens", "--test-also", "1", "--select",
                "min-tokens-within-accuracy:0.1"));
        assertEquals(2, other.exitCode(), other.err());
        assertTrue(other.err().contains("multi_objective.selection: \"knee\" -> \"min-tokens-within-accuracy:0.1\""),
                other.err());
    }

    @Test
    void aPrunerIsRefusedWithOneErrorLine() {
        CliRun pruned = CliRun.of(args("pruned", "--objectives", "accuracy,tokens", "--pruner", "median"));
        assertEquals(2, pruned.exitCode(), pruned.err());
        List<String> errors = pruned.err().lines().filter(l -> l.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), pruned.err());
        assertTrue(errors.get(0).contains("--pruner median cannot prune a multi-objective study"), errors.get(0));
        assertTrue(!pruned.err().contains("\tat "), "no stack trace: " + pruned.err());
    }

    /** The Pareto plot is a real PNG of the default chart size. */
    @Test
    void theParetoPlotIsWritten() throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve(ParetoArtifacts.PNG).toFile());
        assertNotNull(img, "pareto_front.png decodes as an image");
        assertEquals(800, img.getWidth());
        assertEquals(480, img.getHeight());
    }

    /** The multi-objective pin: {@code final_results.json}'s {@code multi_objective} keys, order and types. */
    @Test
    void multiObjectiveKeys() throws Exception {
        JsonNode multi = read("final_results.json").get("multi_objective");
        String point = ".trial int|.params object|.accuracy number|.tokens number";
        List<String> expected = new ArrayList<>(List.of("$ object", "$.objectives array", "$.objectives[] object",
                "$.objectives[].name string", "$.objectives[].direction string", "$.selection string",
                "$.baseline object"));
        for (String l : point.split("\\|")) {
            expected.add("$.baseline" + l);
        }
        expected.addAll(List.of("$.chosen_trial int", "$.front array", "$.front[] object"));
        for (String l : point.split("\\|")) {
            expected.add("$.front[]" + l);
        }
        expected.addAll(List.of("$.tested array", "$.tested[] object", "$.tested[].rank int",
                "$.tested[].validation object"));
        for (String l : point.split("\\|")) {
            expected.add("$.tested[].validation" + l);
        }
        expected.addAll(List.of("$.tested[].test object", "$.tested[].tokens object",
                "$.tested[].tokens.baseline_mean_tokens number", "$.tested[].tokens.mean_tokens number",
                "$.tested[].tokens.reduction number", "$.tested[].tokens.reduction_ci95 array",
                "$.tested[].tokens.reduction_ci95[] number", "$.tested[].tokens.relative_reduction number",
                "$.tested[].tokens.t number", "$.tested[].tokens.p_value number", "$.tested[].tokens.resamples int",
                "$.tested[].tokens.seed int", "$.tested[].accuracy_p_holm number",
                "$.tested[].tokens_p_holm number"));
        List<String> actual = new ArrayList<>(ArtifactKeysTest.shape(multi, Set.of("$.baseline.params",
                "$.front[].params", "$.tested[].validation.params", "$.tested[].test")));
        // numbers that happen to be whole print as ints; the pin is about keys, so fold int into number for them
        actual.replaceAll(l -> l.matches(".*\\.(accuracy|tokens|baseline_mean_tokens|mean_tokens|reduction|t|p_value"
                + "|relative_reduction|accuracy_p_holm|tokens_p_holm|reduction_ci95\\[\\]) int") ? l.replace(" int",
                " number") : l);
        assertEquals(expected, actual);
        List<String> top = new ArrayList<>();
        read("final_results.json").fieldNames().forEachRemaining(top::add);
        assertEquals(List.of("study", "best_trial", "splits", "test", "items", "multi_objective"), top);
    }

    /** The knee of a stored front, computed independently of {@code Selection}. */
    private static int knee(JsonNode front) {
        double aMin = Double.MAX_VALUE;
        double aMax = -Double.MAX_VALUE;
        double tMin = Double.MAX_VALUE;
        double tMax = -Double.MAX_VALUE;
        for (JsonNode p : front) {
            aMin = Math.min(aMin, p.get("accuracy").asDouble());
            aMax = Math.max(aMax, p.get("accuracy").asDouble());
            tMin = Math.min(tMin, p.get("tokens").asDouble());
            tMax = Math.max(tMax, p.get("tokens").asDouble());
        }
        int best = -1;
        double bestD = -Double.MAX_VALUE;
        double bestAcc = -1;
        for (JsonNode p : front) {
            double d = front.size() < 3 || aMax == aMin || tMax == tMin ? 0
                    : (p.get("accuracy").asDouble() - aMin) / (aMax - aMin) - (p.get("tokens").asDouble() - tMin)
                            / (tMax - tMin);
            int n = p.get("trial").asInt();
            double acc = p.get("accuracy").asDouble();
            if (d > bestD || (d == bestD && (acc > bestAcc || (acc == bestAcc && n < best)))) {
                bestD = d;
                bestAcc = acc;
                best = n;
            }
        }
        return best;
    }

    private static double mean(JsonNode items) {
        double s = 0;
        for (JsonNode i : items) {
            s += i.get("best").get("tokens").asDouble();
        }
        return s / items.size();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** ../.venv-optuna (what .ci/run makes), or -Dsteeropt.optuna-python, if it imports optuna 5.0.0. */
    static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        Path venv = Path.of("..", ".venv-optuna", "bin", "python");
        if (Files.isExecutable(venv)) {
            candidates.add(venv.toString());
        }
        if (System.getProperty("steeropt.optuna-python") != null) {
            candidates.add(System.getProperty("steeropt.optuna-python"));
        }
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import optuna, sys; sys.exit(optuna.__version__ != '5.0.0')")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    return c;
                }
            } catch (java.io.IOException e) {
                // not installed: try the next one
            }
        }
        return null;
    }
}
