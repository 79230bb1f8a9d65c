package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.objective.ItemOutcome;
import dev.steeropt.studies.objective.TrialConfig;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.SteerMethod;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.spec.StudySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steeropt optimize} end to end on the tiny fixture model and a tiny synthetic dataset: artifacts, the SQLite
 * study rows, pruning, the single test evaluation, the refusal of a second one and a recorded {@code --allow-retest}.
 *
 * <p>A random 4-layer model answers nothing right, so every trial would tie at accuracy 0 and no pruner could ever
 * act. To make pruning happen deterministically, the test first runs the unsteered greedy model on the validation and
 * test items exactly as the pipeline will (same prompts, same chunks), and where it ends with a whole number, writes
 * that number into the data files as the gold answer. The unsteered reference trial (trial 0) then scores well, and
 * steered or sampled trials, whose outputs differ, fall below its running accuracy and are pruned by the median
 * pruner (one start-up trial). Nothing about the pipeline's own results is fixed in advance.
 */
class OptimizeEndToEndTest {
    private static final int TRAIN = 4;
    private static final int VAL = 8;
    private static final int TEST = 8;
    private static final int CHUNKS = 4;
    private static final int NEW_TOKENS = 8;
    private static final long SEED = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void debugRunWritesArtifactsPrunesTestsOnceAndRefusesASecondTest() throws Exception {
        Path model = TinyModel.dir();
        Path data = tmp.resolve("data");
        int matched = writeData(model, data);
        assertTrue(matched >= 2, "the unsteered model ends " + matched + " items with a number; the fixture needs 2");
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("optimize", "--mode", "debug", "--model", model.toString(),
                "--dataset", "synthetic", "--data-dir", data.toString(), "--train-size", "" + TRAIN, "--val-size",
                "" + VAL, "--test-size", "" + TEST, "--chunks", "" + CHUNKS, "--max-new-tokens", "" + NEW_TOKENS,
                "--seed", "" + SEED, "--n-trials", "6", "--search-space", "{\"method\":[\"CAA\"]}",
                "--pruner-startup-trials", "1", "--pairs", "answer_off_by_one", "--study-name", "e2e", "--output-dir", out.toString()));

        CliRun first = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("Best trial #") && first.out().contains("Test (8 items, flexible, evaluated once)"),
                first.out());
        assertTrue(first.err().contains("Estimate: search 8 validation items x 6 trials x <= 8 new tokens"), first.err());
        // the final progress line is always printed; intermediate ETA lines depend on wall time (see ProgressTest)
        assertTrue(first.err().contains("search on validation (8 items, 4 chunks per trial): 6/6 (100%)")
                && first.err().contains("elapsed, done"), first.err());

        // artifacts exist and parse
        StudySpec spec = Specs.fromTree(JSON.readTree(out.resolve("config.json").toFile()));
        assertEquals(DatasetName.SYNTHETIC, spec.dataset());
        assertEquals(List.of(SteerMethod.CAA), spec.searchSpace().method());
        JsonNode best = JSON.readTree(out.resolve("best_configuration.json").toFile());
        assertEquals(Set.of("layer", "alpha", "method", "temperature"), names(best.get("params")));
        JsonNode fin = JSON.readTree(out.resolve("final_results.json").toFile());
        assertEquals(TEST, fin.get("items").size());
        assertEquals(TEST, fin.get("test").get("n_items").asInt());
        for (JsonNode item : fin.get("items")) {
            assertTrue(item.get("baseline").has("flexible") && item.get("best").has("completion"), item.toString());
        }
        assertTrue(fin.get("test").get("baseline").get("correct").asInt() > 0,
                "the baseline arm is right where the fixture copied its answers");
        assertEquals(2, fin.get("test").get("gain").get("ci95").size());
        assertTrue(fin.get("test").get("mcnemar").get("p_value").asDouble() > 0);
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertTrue(manifest.get("model_sha256").asText().matches("[0-9a-f]{64}"), manifest.toString());
        assertTrue(manifest.get("data_sha256").asText().matches("[0-9a-f]{64}"));
        assertTrue(manifest.has("git_commit") && manifest.get("environment").get("cpu_count").asInt() > 0);
        assertEquals(SEED, manifest.get("seeds").get("study").asLong());
        assertTrue(manifest.get("splits").get("validation").get("ids_sha256").asText().matches("[0-9a-f]{64}"));
        List<String> csv = Files.readAllLines(out.resolve("study_trials.csv"));
        assertEquals(1 + 6, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).contains("params_alpha") && csv.get(0).contains("params_layer"), csv.get(0));

        // the study rows in SQLite
        String db = "jdbc:sqlite:" + out.resolve("study.db");
        Map<Integer, String> states = new TreeMap<>();
        Set<String> params = new TreeSet<>();
        Map<Integer, List<Integer>> steps = new HashMap<>();
        String testAttr;
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT number, state FROM trials ORDER BY number")) {
                while (rs.next()) {
                    states.put(rs.getInt(1), rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT param_name FROM trial_params")) {
                while (rs.next()) {
                    params.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT t.number, v.step FROM trial_intermediate_values v JOIN trials t"
                    + " ON t.trial_id = v.trial_id ORDER BY t.number, v.step")) {
                while (rs.next()) {
                    steps.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
            testAttr = attr(st, "steeropt:test_evaluation");
        }
        assertEquals(6, states.size(), states.toString());
        assertEquals(Set.of("alpha", "layer", "method", "temperature"), params);
        assertEquals("COMPLETE", states.get(0), "the enqueued unsteered reference trial");
        assertTrue(states.containsValue("PRUNED"), "the median pruner acted: " + states);
        assertEquals(List.of(2, 4, 6, 8), steps.get(0), "one report per chunk, step = items graded");
        for (Map.Entry<Integer, String> e : states.entrySet()) {
            if (e.getValue().equals("PRUNED")) {
                assertTrue(steps.get(e.getKey()).size() < CHUNKS, "pruned before the last chunk: " + steps);
            }
        }
        assertTrue(testAttr != null, "the study records its test evaluation");
        assertEquals(TEST, JSON.readTree(testAttr).get("n_items").asInt(), testAttr);
        assertEquals(fin.get("best_trial").asInt(), JSON.readTree(testAttr).get("best_trial").asInt());

        // a second run on the same study refuses to test again, and runs no trial
        CliRun second = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, second.exitCode(), second.out() + second.err());
        assertTrue(second.err().contains("already evaluated its test split once")
                && second.err().contains("--allow-retest"), second.err());
        assertEquals(6, count(db, "SELECT COUNT(*) FROM trials"));

        // --allow-retest runs and is recorded
        List<String> retest = new ArrayList<>(args);
        retest.set(retest.indexOf("--n-trials") + 1, "1");
        retest.add("--allow-retest");
        CliRun third = CliRun.of(retest.toArray(String[]::new));
        assertEquals(0, third.exitCode(), third.err());
        assertEquals(7, count(db, "SELECT COUNT(*) FROM trials"));
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
            String retests = attr(st, "steeropt:retests");
            assertTrue(retests != null, "--allow-retest is recorded");
            assertEquals(1, JSON.readTree(retests).size(), retests);
            assertTrue(JSON.readTree(retests).get(0).has("previous"), retests);
            assertTrue(JSON.readTree(attr(st, "steeropt:test_evaluation")).get("retest").asBoolean());
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> s = new HashSet<>();
        node.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static String attr(Statement st, String key) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT value_json FROM study_system_attributes WHERE key = '" + key + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static int count(String db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Writes synthetic train/test files whose gold answers, on validation and test items, are the whole number the
     * unsteered greedy model ends with (when it ends with one). Returns how many answers were replaced.
     */
    private static int writeData(Path model, Path data) throws Exception {
        List<Problem> pool = SyntheticDataset.generate(SEED, "train", TRAIN + VAL);
        Set<String> keys = new HashSet<>();
        pool.forEach(p -> keys.add(SyntheticDataset.key(p.question())));
        List<Problem> test = SyntheticDataset.generate(SEED, "test", TEST, 0, keys);
        SyntheticDataset.writeJsonl(pool, data.resolve("synthetic/train.jsonl"));
        SyntheticDataset.writeJsonl(test, data.resolve("synthetic/test.jsonl"));
        StudySpec spec = new StudySpec(model.toString(), "-", DatasetName.SYNTHETIC, new StudySpec.Splits(TRAIN, VAL, TEST, SEED),
                PromptKind.ZERO_SHOT_COT, 0, PairBuilder.ANSWER_OFF_BY_ONE, SearchSpaceSpec.defaults(4), new StudySpec.Search(SamplerKind.TPE, 4, PrunerKind.MEDIAN, 1, 0, 25),
                Metric.FLEXIBLE, CHUNKS, NEW_TOKENS, SEED, new StudySpec.Budget(1, 0, 1));
        StudyData d = StudyData.load(spec, data);
        Map<String, String> answers = new HashMap<>();
        PromptVariant variant = PromptVariants.zeroShotCot();
        try (LoadedModel m = LoadedModel.load(model); Tokenizer tok = Tokenizer.load(model)) {
            ArmRunner runner = new ArmRunner(m, tok, new LayerVectors(Map.of()), variant.stopSequences(),
                    Graders.forDataset(DatasetName.SYNTHETIC), NEW_TOKENS);
            int pad = tok.padId().isPresent() ? tok.padId().getAsInt() : tok.eosIds()[0];
            List<List<Problem>> splits = List.of(d.validation(), d.testItems());
            List<Integer> chunkCounts = List.of(CHUNKS, Math.max(1, TEST / 8)); // as the pipeline cuts them
            for (int s = 0; s < 2; s++) {
                try (PromptChunks chunks = new PromptChunks(m, splits.get(s), chunkCounts.get(s),
                        p -> tok.encode(variant.render(p), true), pad, SEED, NEW_TOKENS, true)) {
                    for (int c = 0; c < chunks.size(); c++) {
                        for (ItemOutcome o : runner.run(chunks, c, TrialConfig.baseline())) {
                            if (o.extracted() != null && o.extracted().matches("-?[0-9]+")) {
                                answers.put(o.id(), o.extracted());
                            }
                        }
                    }
                }
            }
        }
        SyntheticDataset.writeJsonl(relabel(pool, answers), data.resolve("synthetic/train.jsonl"));
        SyntheticDataset.writeJsonl(relabel(test, answers), data.resolve("synthetic/test.jsonl"));
        return answers.size();
    }

    private static List<Problem> relabel(List<Problem> items, Map<String, String> answers) {
        List<Problem> out = new ArrayList<>();
        for (Problem p : items) {
            String a = answers.get(p.id());
            out.add(a == null ? p : Problem.of(p.id(), p.question(), "The answer is " + a + ".\n#### " + a, a));
        }
        return out;
    }
}
