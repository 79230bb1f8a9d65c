package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.store.TrialQuota;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes at the CLI level: real {@code optimize} JVMs, a real {@code kill -9} ({@link Process#destroyForcibly}), on
 * SQLite and on embedded PostgreSQL, at small pinned sizes. After a killed run and a rerun of the same command, no trial
 * stays RUNNING, the killed trial is FAIL with its reason, and its params are retried; a killed worker's remainder is
 * taken over so the run still adds exactly {@code --n-trials} trials; {@code --max-trials} holds across two concurrent
 * runs.
 */
class OptimizeCrashTest {
    private static final Duration LIMIT = Duration.ofMinutes(4);

    @TempDir
    Path tmp;

    @Test
    void aKilledRunLeavesNoZombieAndItsTrialIsRetriedSqlite() throws Exception {
        killAndRerun("sqlite:///" + tmp.resolve("study.db"));
    }

    @Test
    @Tag("postgres")
    void aKilledRunLeavesNoZombieAndItsTrialIsRetriedPostgres() throws Exception {
        killAndRerun(EmbeddedPostgres.newDatabaseUrl());
    }

    private void killAndRerun(String url) throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        List<String> args = OptimizeRuns.args(data, url, tmp.resolve("out"), "crash", 5, 24);
        Process first = OptimizeRuns.spawn(args, tmp.resolve("first.log"));
        // kill while trial 2 or later runs (trial 0 is the enqueued reference)
        OptimizeRuns.awaitTrials(url, "crash", t -> t.stream().anyMatch(x -> x.number() >= 2
                && x.state() == TrialState.RUNNING), LIMIT, first);
        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        List<FrozenTrial> afterKill = OptimizeRuns.trials(url, "crash");
        List<FrozenTrial> zombies = afterKill.stream().filter(t -> t.state() == TrialState.RUNNING).toList();
        assertEquals(1, zombies.size(), "the kill left its trial RUNNING (the state this test is about): " + afterKill
                + "\n" + Files.readString(tmp.resolve("first.log")));
        FrozenTrial killed = zombies.get(0);
        long nonFailBefore = afterKill.stream().filter(t -> t.state() != TrialState.FAIL
                && t.state() != TrialState.RUNNING && t.state() != TrialState.WAITING).count();

        CliRun again = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());

        List<FrozenTrial> end = OptimizeRuns.trials(url, "crash");
        assertEquals(0, OptimizeRuns.count(end, TrialState.RUNNING), "no RUNNING zombie: " + end);
        assertEquals(0, OptimizeRuns.count(end, TrialState.WAITING), "the retry ran: " + end);
        FrozenTrial failed = end.get(killed.number());
        assertEquals(TrialState.FAIL, failed.state(), failed.toString());
        String reason = String.valueOf(failed.systemAttrs().get("fail_reason"));
        assertTrue(reason.contains("lost") && reason.contains("no longer exists"), reason);
        Optional<FrozenTrial> retry = end.stream()
                .filter(t -> Integer.valueOf(killed.number()).equals(RetryFailedTrialCallback.retriedTrialNumber(t)))
                .findFirst();
        assertTrue(retry.isPresent(), "the killed trial's params were re-enqueued: " + end);
        // the kill may come between two suggests: the retry fixes what the killed trial had, the sampler adds the rest
        assertTrue(retry.get().params().entrySet().containsAll(killed.params().entrySet()),
                "the retry has the killed trial's params " + killed.params() + ": " + retry.get().params());
        assertTrue(!retry.get().systemAttrs().containsKey(TrialQuota.LOST_ATTR)
                && !retry.get().systemAttrs().containsKey("fail_reason"), "the retry is not marked lost: " + retry);
        assertTrue(retry.get().state() == TrialState.COMPLETE || retry.get().state() == TrialState.PRUNED,
                retry.get().toString());
        long nonFail = end.stream().filter(t -> t.state() != TrialState.FAIL).count();
        assertEquals(nonFailBefore + 5, nonFail, "the rerun added exactly --n-trials 5 trials: " + end);
        assertTrue(again.out().contains("evaluated once"), again.out());
    }

    @Test
    void aKilledWorkersRemainderIsTakenOverSqlite() throws Exception {
        aKilledWorkersRemainderIsTakenOver("sqlite:///" + tmp.resolve("study.db"));
    }

    @Test
    @Tag("postgres")
    void aKilledWorkersRemainderIsTakenOverPostgres() throws Exception {
        aKilledWorkersRemainderIsTakenOver(EmbeddedPostgres.newDatabaseUrl());
    }

    private void aKilledWorkersRemainderIsTakenOver(String url) throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        Process main = OptimizeRuns.spawn(OptimizeRuns.args(data, url, out, "workers", 9, 96, "--n-workers", "3"),
                tmp.resolve("main.log"));
        // kill worker 1 while it runs a trial
        List<FrozenTrial> seen = OptimizeRuns.awaitTrials(url, "workers", t -> t.stream().anyMatch(x ->
                x.state() == TrialState.RUNNING && String.valueOf(x.systemAttrs().get(StudyManager.WORKER_ATTR))
                        .startsWith("worker-1@")), LIMIT, main);
        FrozenTrial victim = seen.stream().filter(x -> x.state() == TrialState.RUNNING && String.valueOf(
                x.systemAttrs().get(StudyManager.WORKER_ATTR)).startsWith("worker-1@")).findFirst().orElseThrow();
        String who = String.valueOf(victim.systemAttrs().get(StudyManager.WORKER_ATTR));
        long pid = Long.parseLong(who.substring(who.lastIndexOf(':') + 1));
        ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
        assertTrue(worker.destroyForcibly());
        assertTrue(main.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the run finished");
        assertEquals(0, main.exitValue(), Files.readString(tmp.resolve("main.log")));

        List<FrozenTrial> end = OptimizeRuns.trials(url, "workers");
        assertEquals(0, OptimizeRuns.count(end, TrialState.RUNNING), end.toString());
        FrozenTrial killed = end.get(victim.number());
        assertEquals(TrialState.FAIL, killed.state(), "the killed worker's trial: " + killed);
        assertTrue(killed.systemAttrs().containsKey(TrialQuota.LOST_ATTR), killed.toString());
        long nonFail = end.stream().filter(t -> t.state() != TrialState.FAIL).count();
        assertEquals(9, nonFail, "exactly --n-trials 9 trials that did not fail, although a worker died: "
                + end.stream().map(t -> t.number() + " " + t.state() + " " + t.systemAttrs()
                        .get(StudyManager.WORKER_ATTR)).collect(Collectors.joining("\n")));
    }

    @Test
    void maxTrialsHoldsAcrossTwoConcurrentRunsSqlite() throws Exception {
        maxTrialsHoldsAcrossTwoConcurrentRuns("sqlite:///" + tmp.resolve("study.db"));
    }

    @Test
    @Tag("postgres")
    void maxTrialsHoldsAcrossTwoConcurrentRunsPostgres() throws Exception {
        maxTrialsHoldsAcrossTwoConcurrentRuns(EmbeddedPostgres.newDatabaseUrl());
    }

    private void maxTrialsHoldsAcrossTwoConcurrentRuns(String url) throws Exception {
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        // create the study first, so that both runs join it
        CliRun seed = CliRun.of(OptimizeRuns.args(data, url, tmp.resolve("seed"), "capped", 1, 24)
                .toArray(String[]::new));
        assertEquals(0, seed.exitCode(), seed.err());
        Process a = OptimizeRuns.spawn(OptimizeRuns.args(data, url, tmp.resolve("a"), "capped", 6, 24,
                "--max-trials", "8", "--allow-retest"), tmp.resolve("a.log"));
        Process b = OptimizeRuns.spawn(OptimizeRuns.args(data, url, tmp.resolve("b"), "capped", 6, 24,
                "--max-trials", "8", "--allow-retest"), tmp.resolve("b.log"));
        assertTrue(a.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS) && b.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a.log")));
        assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b.log")));
        List<FrozenTrial> end = OptimizeRuns.trials(url, "capped");
        assertEquals(8, end.size(), "1 + 6 + 6 trials asked, --max-trials 8 allowed: " + end);
        Map<Object, Long> byRun = end.stream().collect(Collectors.groupingBy(
                t -> String.valueOf(t.systemAttrs().get(TrialQuota.RUN_ATTR)), Collectors.counting()));
        assertTrue(byRun.size() >= 2, "the seed run and the concurrent runs added trials: " + byRun);
    }
}
