package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several OS processes on one study: 4 JVMs × 50 trials must give 200 distinct, gap-free numbers and 200 finished
 * trials, on SQLite and on PostgreSQL; a worker killed with SIGKILL mid-trial leaves a RUNNING trial that the next
 * worker fails through its stale heartbeat, and none of the killed worker's completed trials is lost.
 */
class MultiProcessStoreTest {
    private static final int WORKERS = 4;
    private static final int TRIALS_PER_WORKER = 50;

    @TempDir
    Path dir;

    @Test
    void fourProcessesShareOneSqliteFile() throws Exception {
        runWorkers("sqlite:///" + dir.resolve("shared.db"));
    }

    @Test
    @Tag("postgres")
    void fourProcessesShareOnePostgresDatabase() throws Exception {
        runWorkers(EmbeddedPostgres.newDatabaseUrl());
    }

    private void runWorkers(String url) throws Exception {
        try (TrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long study = store.createStudy("shared", List.of(StudyDirection.MINIMIZE));
            List<Process> procs = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                procs.add(start(w, url, "shared", TRIALS_PER_WORKER, w));
            }
            for (int w = 0; w < WORKERS; w++) {
                Process p = procs.get(w);
                assertTrue(p.waitFor(150, TimeUnit.SECONDS), "worker " + w + " did not finish in time");
                assertEquals(0, p.exitValue(), "worker " + w + " failed:\n" + log(w));
            }
            List<FrozenTrial> trials = store.getAllTrials(study, null);
            int total = WORKERS * TRIALS_PER_WORKER;
            assertEquals(total, trials.size());
            for (int i = 0; i < total; i++) {
                FrozenTrial t = trials.get(i);
                assertEquals(i, t.number(), "numbers must be 0.." + (total - 1) + " without gaps or duplicates");
                assertEquals(TrialState.COMPLETE, t.state());
                assertEquals(Set.of("x", "layer"), t.params().keySet());
                assertEquals(3, t.intermediateValues().size());
            }
            assertEquals(total, trials.stream().map(FrozenTrial::trialId).distinct().count());
        }
    }

    @Test
    void killedWorkersRunningTrialIsFailedByHeartbeatAndItsCompletedTrialsSurvive() throws Exception {
        String url = "sqlite:///" + dir.resolve("kill.db");
        StoreOptions hb = new StoreOptions(Duration.ofMillis(100), Duration.ofMillis(500), true);
        try (JdbcTrialStore store = TrialStores.open(url, hb)) {
            long study = store.createStudy("kill", List.of(StudyDirection.MINIMIZE));
            Process p = start(0, url, "kill", 5, 42, "hang");
            long running;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("RUNNING "), "worker did not start its trial:\n" + log(0));
                running = Long.parseLong(line.substring("RUNNING ".length()).trim());
                assertEquals(List.of(), store.failStaleTrials(study), "a beating trial is not stale");
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no rollback, no goodbye
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(TrialState.RUNNING, store.getTrial(running).state(), "nobody has noticed the death yet");
            List<Long> failed = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (failed.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                failed = store.failStaleTrials(study);
            }
            assertEquals(List.of(running), failed, "the killed worker's trial must be failed once its heartbeat ages");
            FrozenTrial dead = store.getTrial(running);
            assertEquals(TrialState.FAIL, dead.state());
            assertEquals(Map.of("x", 1.25, "layer", 7L), dead.params(), "params written before the kill are kept");
            List<FrozenTrial> complete = store.getAllTrials(study, Set.of(TrialState.COMPLETE));
            assertEquals(5, complete.size(), "every trial completed before the kill must be there");
            assertEquals(List.of(0, 1, 2, 3, 4), complete.stream().map(FrozenTrial::number).toList());
        }
    }

    private Process start(int worker, String url, String study, int n, long seed, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName(), url, study,
                Integer.toString(n), Long.toString(seed)));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(dir.resolve("worker-" + worker + ".log").toFile());
        if (extra.length == 0) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return pb.start();
    }

    private String log(int worker) throws IOException {
        Path f = dir.resolve("worker-" + worker + ".log");
        return Files.exists(f) ? Files.readString(f) : "(no log)";
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
