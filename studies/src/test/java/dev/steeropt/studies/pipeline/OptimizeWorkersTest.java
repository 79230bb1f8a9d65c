package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optimize --n-workers 3} end to end: this JVM runs the main process through the CLI, which starts two worker
 * JVMs on the same study (SQLite file, and PostgreSQL). The study must hold exactly {@code --n-trials} trials with
 * distinct, gap-free numbers, all finished; the processes draw from one trial counter (each trial names its process in
 * {@link StudyManager#WORKER_ATTR}, and more than one process ran trials); and the test split must have been evaluated once, by the main process only.
 */
class OptimizeWorkersTest {
    private static final int WORKERS = 3;
    private static final int TRIALS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void threeProcessesShareOneSqliteStudyWithPromptSteering() throws Exception {
        Path out = tmp.resolve("out");
        run("sqlite:///" + out.resolve("study.db"), out, "--steer-positions", "all");
        assertEquals("all", JSON.readTree(out.resolve("best_configuration.json").toFile()).get("steer_positions").asText(),
                "CAA at every position is the study's setting");
    }

    @Test
    @Tag("postgres")
    void threeProcessesShareOnePostgresStudy() throws Exception {
        run(EmbeddedPostgres.newDatabaseUrl(), tmp.resolve("out"));
    }

    private void run(String url, Path out, String... extra) throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        List<String> args = new ArrayList<>(OptimizeRuns.args(data, url, out, "workers", TRIALS, 4, "--n-workers",
                "" + WORKERS));
        args.addAll(List.of(extra));

        CliRun main = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, main.exitCode(), main.err() + logs(out));
        assertTrue(main.err().contains("Starting 2 worker process(es) sharing this run's trials"), main.err());

        try (TrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long study = store.getStudyId("workers");
            List<FrozenTrial> trials = store.getAllTrials(study, null);
            assertEquals(TRIALS, trials.size(), "exactly --n-trials trials: " + trials);
            Map<String, Integer> byProcess = new TreeMap<>();
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < TRIALS; i++) {
                FrozenTrial t = trials.get(i);
                assertEquals(i, t.number(), "numbers 0.." + (TRIALS - 1) + " without gaps or duplicates");
                assertTrue(t.state().isFinished(), "trial " + i + " is " + t.state());
                String who = String.valueOf(t.systemAttrs().get(StudyManager.WORKER_ATTR));
                assertTrue(who.matches("(main|worker-[12])@.+:[0-9]+"), who);
                byProcess.merge(who.substring(0, who.indexOf('@')), 1, Integer::sum);
                pids.add(Integer.parseInt(who.substring(who.lastIndexOf(':') + 1)));
            }
            assertEquals(TRIALS, byProcess.values().stream().mapToInt(Integer::intValue).sum(), byProcess.toString());
            assertEquals(byProcess.size(), pids.size(), "each label is one OS process: " + byProcess);
            Set<Map<String, Object>> distinct = new HashSet<>();
            trials.forEach(t -> distinct.add(t.params()));
            assertEquals(TRIALS, distinct.size(), "each process draws its own start-up trials, no duplicates: "
                    + trials.stream().map(FrozenTrial::params).toList());

            Map<String, Object> attrs = store.getStudySystemAttrs(study);
            assertTrue(attrs.containsKey(StudyManager.TEST_ATTR), "the study records its test evaluation: " + attrs);
            assertFalse(attrs.containsKey(StudyManager.RETEST_ATTR), "no second test evaluation: " + attrs);
        }
        assertEquals(1, count(main.out(), "evaluated once"), main.out());
        for (int k = 1; k < WORKERS; k++) {
            String log = Files.readString(out.resolve("worker-" + k + ".log"));
            assertFalse(log.contains("test evaluation"), "worker " + k + " must not touch the test split:\n" + log);
        }
        assertEquals(4, JSON.readTree(out.resolve("final_results.json").toFile()).get("items").size());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static String logs(Path out) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k < WORKERS; k++) {
            Path f = out.resolve("worker-" + k + ".log");
            sb.append("\n--- worker-").append(k).append(".log\n").append(Files.exists(f) ? Files.readString(f) : "(none)");
        }
        return sb.toString();
    }
}
