package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole crash story with the optimizer's {@code Study}: a worker process is SIGKILLed in the middle of a trial;
 * the next worker's {@code optimize} fails that trial through its stale heartbeat, the retry callback enqueues its
 * params, the retry runs to COMPLETE, and every trial the dead worker had completed is still there.
 */
class StudyCrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        recoverFromKilledWorker("sqlite:///" + dir.resolve("crash.db"));
    }

    @Test
    @Tag("postgres")
    void postgres() throws Exception {
        recoverFromKilledWorker(EmbeddedPostgres.newDatabaseUrl());
    }

    private void recoverFromKilledWorker(String url) throws Exception {
        Process doomed = start(0, url, "4", "1", "3"); // completes trials 0-2, hangs in trial 3
        int hung;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(doomed.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("RUNNING "), "worker did not reach its trial:\n" + log(0));
            hung = Integer.parseInt(line.substring("RUNNING ".length()).trim());
            doomed.destroyForcibly();
            assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(3, hung);
        Thread.sleep(2500); // let the last heartbeat age past the 2 s grace period
        Process next = start(1, url, "3", "2");
        assertTrue(next.waitFor(120, TimeUnit.SECONDS), "second worker did not finish");
        assertEquals(0, next.exitValue(), "second worker failed:\n" + log(1));

        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false))) {
            long study = store.getStudyId("crash");
            List<FrozenTrial> trials = store.getAllTrials(study, null);
            assertEquals(7, trials.size(), "3 completed + 1 killed + 3 by the second worker");
            for (int n = 0; n < 3; n++) {
                assertEquals(TrialState.COMPLETE, trials.get(n).state(), "completed before the kill: trial " + n);
            }
            FrozenTrial dead = trials.get(hung);
            assertEquals(TrialState.FAIL, dead.state(), "the killed trial is failed through its heartbeat");
            List<FrozenTrial> retries = trials.stream()
                    .filter(t -> Integer.valueOf(hung).equals(RetryFailedTrialCallback.retriedTrialNumber(t)))
                    .toList();
            assertEquals(1, retries.size(), "exactly one retry of trial " + hung);
            FrozenTrial retry = retries.get(0);
            assertEquals(TrialState.COMPLETE, retry.state());
            assertEquals(dead.params(), retry.params(), "the retry runs the killed trial's params");
            assertEquals(List.of(hung), RetryFailedTrialCallback.retryHistory(retry));
            assertEquals(6, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
        }
    }

    private Process start(int worker, String url, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), StudyWorker.class.getName(),
                url, "crash"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(dir.resolve("study-worker-" + worker + ".log").toFile());
        if (worker > 0) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        return pb.start();
    }

    private String log(int worker) throws IOException {
        Path f = dir.resolve("study-worker-" + worker + ".log");
        return Files.exists(f) ? Files.readString(f) : "(no log)";
    }
}
