package dev.steeropt.studies.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.Objective;
import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.TrialQuota;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FAIL trial frees its slot and its params are retried ({@link StudyManager#search}, {@link TrialRetries}), on a
 * real SQLite file and on embedded PostgreSQL: an objective that fails once for one param set still yields exactly
 * {@code --n-trials} trials that did not fail, the failure is recorded with its reason, and the retry carries Optuna's
 * {@code failed_trial} and {@code retry_history}; an objective that always fails stops the run after
 * {@code --max-retry} retries with one line naming the trial and its error, and so does every other process of the run.
 */
class TrialRetriesTest {
    private static final int N_TRIALS = 4;

    @TempDir
    Path tmp;

    private static StudySpec spec() {
        return new StudySpec("/models/m", "abc", dev.steeropt.eval.datasets.DatasetName.SYNTHETIC, new StudySpec.Splits(8, 4, 4, 1), PromptKind.ZERO_SHOT_COT, 0,
                PairBuilder.ANSWER_OFF_BY_ONE, SearchSpaceSpec.defaults(4),
                new StudySpec.Search(SamplerKind.RANDOM, 2, PrunerKind.NONE, 1, 0, 25), dev.steeropt.studies.spec.Metric.FLEXIBLE, 2, 8, 1,
                new StudySpec.Budget(N_TRIALS, 0, 1));
    }

    private static TrialQuota quota(String run) {
        return new TrialQuota(run, "main@test:1", N_TRIALS, null);
    }

    @Test
    void aTrialThatFailsOnceIsRetriedAndTheRunStillAddsNTrialsSqlite() {
        failsOnce("sqlite:///" + tmp.resolve("once.db"));
    }

    @Test
    @Tag("postgres")
    void aTrialThatFailsOnceIsRetriedAndTheRunStillAddsNTrialsPostgres() {
        failsOnce(EmbeddedPostgres.newDatabaseUrl());
    }

    private void failsOnce(String url) {
        try (StudyManager m = StudyManager.open(StorageUrl.parse(url))) {
            Study study = m.openStudy("once", spec());
            AtomicInteger calls = new AtomicInteger();
            List<Double> seen = new ArrayList<>();
            Objective objective = t -> {
                double x = t.suggestFloat("x", 0, 1);
                seen.add(x);
                if (calls.incrementAndGet() == 2) {
                    throw new IllegalStateException("boom at x=" + x); // the second param set fails, once
                }
                return x;
            };
            List<FrozenTrial> finished = new ArrayList<>();
            m.search(study, objective, quota("run-1"), null, finished::add);

            List<FrozenTrial> trials = study.trials();
            assertEquals(N_TRIALS + 1, trials.size(), "one failure, one retry: " + trials);
            assertEquals(N_TRIALS, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count(),
                    "exactly --n-trials trials that did not fail: " + trials);
            FrozenTrial failed = trials.get(1);
            assertEquals(TrialState.FAIL, failed.state());
            assertNull(failed.values(), "a failed trial has no value");
            String reason = String.valueOf(failed.systemAttrs().get("fail_reason"));
            assertTrue(reason.contains("IllegalStateException") && reason.contains("boom at x="), reason);
            FrozenTrial retry = trials.get(2);
            assertEquals(TrialState.COMPLETE, retry.state(), "the next trial takes the enqueued retry");
            assertEquals(failed.params(), retry.params(), "the retry runs the failed trial's params");
            assertEquals(1, ((Number) retry.systemAttrs().get("failed_trial")).intValue(),
                    "Optuna's failed_trial names the first failure");
            assertEquals(List.of(1), RetryFailedTrialCallback.retryHistory(retry));
            assertFalse(retry.systemAttrs().containsKey("fail_reason"), "the retry does not inherit the failure");
            assertEquals(seen.get(1), seen.get(2), "the objective saw the same x again");
            assertEquals(N_TRIALS + 1, finished.size(), "every finished trial was reported, the FAIL too");
            assertEquals(List.of(), study.trials(java.util.EnumSet.of(TrialState.WAITING)), "no retry left waiting");
        }
    }

    @Test
    void anObjectiveThatAlwaysFailsStopsTheRunAfterMaxRetrySqlite() {
        alwaysFails("sqlite:///" + tmp.resolve("always.db"));
    }

    @Test
    @Tag("postgres")
    void anObjectiveThatAlwaysFailsStopsTheRunAfterMaxRetryPostgres() {
        alwaysFails(EmbeddedPostgres.newDatabaseUrl());
    }

    private void alwaysFails(String url) {
        StorageUrl storage = StorageUrl.parse(url);
        try (StudyManager m = StudyManager.open(storage, 2); StudyManager worker = StudyManager.open(storage, 2)) {
            assertEquals(2, m.maxRetry());
            Study study = m.openStudy("always", spec());
            Objective objective = t -> {
                t.suggestFloat("x", 0, 1);
                throw new ArithmeticException("always broken");
            };
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> m.search(study, objective, quota("run-2"), null, t -> { }));
            assertEquals(UserFacingException.RUNTIME, e.exitCode());
            String line = e.getMessage();
            assertTrue(line.startsWith("Trial 2 failed with params {x=") && line.contains("attempts: trials [0, 1, 2],"
                    + " --max-retry 2") && line.contains("java.lang.ArithmeticException: always broken")
                    && line.contains("raise --max-retry") && !line.contains("\n"), line);

            List<FrozenTrial> trials = study.trials();
            assertEquals(3, trials.size(), "the first attempt and 2 retries, then the run stopped: " + trials);
            assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.FAIL), trials.toString());
            assertEquals(List.of(0, 1), RetryFailedTrialCallback.retryHistory(trials.get(2)));
            assertEquals(trials.get(0).params(), trials.get(2).params(), "the same params each time");

            // another process of the same run stops before its next trial, with the same reason
            Study joined = worker.openStudy("always", spec(), 1);
            AtomicInteger ran = new AtomicInteger();
            UserFacingException other = assertThrows(UserFacingException.class, () -> worker.search(joined, t -> {
                ran.incrementAndGet();
                return 1.0;
            }, quota("run-2"), null, t -> { }));
            assertTrue(other.getMessage().startsWith(line.substring(0, line.indexOf('('))), other.getMessage());
            assertEquals(0, ran.get(), "no trial ran after the run stopped");
            assertThrows(UserFacingException.class, () -> m.requireRunGoing(study, quota("run-2")));

            // a new run of the study is not stopped by the old one
            m.search(study, t -> t.suggestFloat("x", 0, 1), quota("run-3"), null, t -> { });
            assertEquals(N_TRIALS, study.trials().stream().filter(t -> t.state() == TrialState.COMPLETE).count());
        }
    }

    @Test
    void aNegativeBoundIsRefusedBeforeTheDatabaseIsOpened() {
        Path db = tmp.resolve("never.db");
        assertThrows(IllegalArgumentException.class, () -> StudyManager.open(StorageUrl.parse("sqlite:///" + db), -1));
        assertFalse(db.toFile().exists());
    }
}
