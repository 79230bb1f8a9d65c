package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.cli.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed trials at the CLI level ({@code optimize} in-process on the tiny model and a real SQLite study, objective
 * failures injected with the hidden {@code --inject-trial-failure}): when every param set fails once, each failure
 * frees its slot and is retried with {@code failed_trial}, and the run still adds exactly {@code --n-trials} trials
 * that did not fail; when every attempt fails, the run stops after {@code --max-retry} retries with exit 1 and one
 * {@code Error:} line naming the trial and its error.
 */
class OptimizeRetryTest {
    @TempDir
    Path tmp;

    @Test
    void everyParamSetFailingOnceStillAddsExactlyNTrials() throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        String url = "sqlite:///" + tmp.resolve("once.db");
        CliRun r = CliRun.of(OptimizeRuns.args(data, url, tmp.resolve("out"), "once", 2, 8,
                "--inject-trial-failure", "first-attempt").toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());

        List<FrozenTrial> trials = OptimizeRuns.trials(url, "once");
        assertEquals(2, trials.stream().filter(t -> t.state() != TrialState.FAIL).count(),
                "exactly --n-trials 2 trials that did not fail: " + trials);
        List<FrozenTrial> failed = trials.stream().filter(t -> t.state() == TrialState.FAIL).toList();
        assertEquals(2, failed.size(), "each param set failed once: " + trials);
        for (FrozenTrial f : failed) {
            String reason = String.valueOf(f.systemAttrs().get("fail_reason"));
            assertTrue(reason.contains(TrialFault.MESSAGE), reason);
            FrozenTrial retry = trials.stream()
                    .filter(t -> Integer.valueOf(f.number()).equals(RetryFailedTrialCallback.retriedTrialNumber(t)))
                    .findFirst().orElseThrow(() -> new AssertionError("trial " + f.number() + " not retried: " + trials));
            assertEquals(f.params(), retry.params(), "the retry runs the failed params");
            assertTrue(retry.state() == TrialState.COMPLETE || retry.state() == TrialState.PRUNED, retry.toString());
        }
        assertEquals(0, OptimizeRuns.count(trials, TrialState.WAITING), trials.toString());
        assertTrue(r.out().contains("evaluated once"), r.out());
    }

    @Test
    void anAlwaysFailingObjectiveStopsAfterMaxRetryWithExitOne() throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        String url = "sqlite:///" + tmp.resolve("always.db");
        CliRun r = CliRun.of(OptimizeRuns.args(data, url, tmp.resolve("out"), "always", 3, 8,
                "--inject-trial-failure", "always", "--max-retry", "1").toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), r.err());
        String line = errors.get(0);
        assertTrue(line.startsWith("Error: Trial 1 failed with params {") && line.contains("--max-retry 1")
                && line.contains("java.lang.IllegalStateException: " + TrialFault.MESSAGE), line);

        List<FrozenTrial> trials = OptimizeRuns.trials(url, "always");
        assertEquals(2, trials.size(), "the first attempt and one retry, then the run stopped: " + trials);
        assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.FAIL), trials.toString());
        assertEquals(List.of(0), RetryFailedTrialCallback.retryHistory(trials.get(1)));
    }
}
