package dev.steeropt.studies.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The once-only test split, on a real SQLite file: per dataset, refused a second time unless allowed (recorded). */
class TestSplitGuardTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondTestEvaluationOfTheSameDatasetIsRefusedUnlessAllowed() {
        StorageUrl url = StorageUrl.parse("sqlite:///" + tmp.resolve("a.db"));
        TestSplitGuard.claim(url, DatasetName.SYNTHETIC, "sweep", false);
        TestSplitGuard.claim(url, DatasetName.GSM8K, "ablate", false); // another dataset is free
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TestSplitGuard.claim(url, DatasetName.SYNTHETIC, "patch", false));
        assertEquals(UserFacingException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("already evaluated") && e.getMessage().contains("analyze sweep")
                && e.getMessage().contains("--allow-test"), e.getMessage());
        TestSplitGuard.claim(url, DatasetName.SYNTHETIC, "patch", true);
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long id = store.findStudyId(TestSplitGuard.LEDGER_STUDY).orElseThrow();
            Map<String, Object> attrs = store.getStudySystemAttrs(id);
            assertEquals(3, attrs.keySet().stream().filter(k -> k.startsWith(TestSplitGuard.ATTR_PREFIX)).count());
            assertTrue(attrs.values().stream().anyMatch(v -> v instanceof Map<?, ?> m && Boolean.TRUE.equals(
                    m.get("allow_test")) && "patch".equals(m.get("command"))), attrs.toString());
        }
    }

    @Test
    void theCliRefusesASecondTestEvaluationInTheSameStorage() {
        String storage = "sqlite:///" + tmp.resolve("cli.db");
        String[] args = {"analyze", "ablate", "--split", "test", "--layers", "3", "--n", "2", "--n-train", "4",
            "--max-new-tokens", "8", "--storage", storage, "--out", tmp.resolve("o").toString()};
        dev.steeropt.studies.cli.CliRun first = dev.steeropt.studies.cli.CliRun.of(args);
        assertEquals(0, first.exitCode(), first.err());
        dev.steeropt.studies.cli.CliRun second = dev.steeropt.studies.cli.CliRun.of(args);
        assertEquals(2, second.exitCode(), second.err());
        assertTrue(second.err().contains("Error: The synthetic test split was already evaluated"), second.err());
        String[] allowed = java.util.Arrays.copyOf(args, args.length + 1);
        allowed[args.length] = "--allow-test";
        assertEquals(0, dev.steeropt.studies.cli.CliRun.of(allowed).exitCode());
    }

    @Test
    void commandsThatReadOnlyTrainRefuseSplitTestAndRecordNothing() throws Exception {
        for (List<String> args : List.of(List.of("directions"), List.of("probes", "--label", "mode"))) {
            String command = args.get(0);
            Path db = tmp.resolve(command + ".db");
            List<String> all = new java.util.ArrayList<>(List.of("analyze"));
            all.addAll(args);
            all.addAll(List.of("--split", "test", "--n-train", "4", "--storage", "sqlite:///" + db, "--out",
                    tmp.resolve(command).toString()));
            dev.steeropt.studies.cli.CliRun r = dev.steeropt.studies.cli.CliRun.of(all.toArray(String[]::new));
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains("Error: analyze " + command + " reads only the train split"), r.err());
            assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("Error")).count(), r.err());
            if (java.nio.file.Files.exists(db)) {
                try (JdbcTrialStore store = TrialStores.open(StorageUrl.parse("sqlite:///" + db), StoreOptions.DEFAULTS)) {
                    assertTrue(store.findStudyId(TestSplitGuard.LEDGER_STUDY).isEmpty(), command + ": nothing recorded");
                }
            }
        }
    }

    @Test
    void anOptimizeStudysTestEvaluationCountsForItsDataset() {
        StorageUrl url = StorageUrl.parse("sqlite:///" + tmp.resolve("b.db"));
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long id = store.createStudy("demo-hasty-synthetic-64-100", List.of(StudyDirection.MAXIMIZE));
            store.setStudySystemAttr(id, Specs.ATTR, Map.of("dataset", "synthetic"));
            store.setStudySystemAttr(id, StudyManager.TEST_ATTR, Map.of("time", "then"));
        }
        TestSplitGuard.claim(url, DatasetName.MATH500, "sweep", false);
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TestSplitGuard.claim(url, DatasetName.SYNTHETIC, "sweep", false));
        assertTrue(e.getMessage().contains("optimize study 'demo-hasty-synthetic-64-100'"), e.getMessage());
    }
}
