package dev.steeropt.studies.manager;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.study.Objective;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyCallback;
import dev.steeropt.optimizer.study.MultiObjective;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.spec.SearchAlgorithms;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialProcess;
import dev.steeropt.studies.store.TrialQuota;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Owns a study's lifecycle in its store: creation with the resolved {@link StudySpec} as a system attribute, resuming
 * only with an identical spec (else an error showing the diff), the search loop shared by any number of worker
 * processes (one trial counter; failed trials, of a failing objective or a dead process, free their slot and are
 * retried a bounded number of times), and the once-only test evaluation (recorded in {@link #TEST_ATTR}; a re-test
 * needs {@code --allow-retest} and is appended to {@link #RETEST_ATTR}).
 */
public final class StudyManager implements AutoCloseable {
    /** System attribute recording the test evaluation (time, best trial, accuracies). */
    public static final String TEST_ATTR = "steeropt:test_evaluation";
    /** System attribute listing every allowed re-test (time and the previous evaluation). */
    public static final String RETEST_ATTR = "steeropt:retests";
    /** Study system attribute naming the process that claimed the test evaluation ({@link #claimTest}). */
    public static final String CLAIM_ATTR = "steeropt:test_claim";
    /**
     * Heartbeat interval of every {@code optimize} process (a trial whose heartbeat is older than twice this is failed
     * and its params retried; a trial of a dead process on the same host is failed at once).
     */
    public static final Duration HEARTBEAT = Duration.ofSeconds(20);
    /** How often a process whose quota is used up looks again while other processes still run trials of it. */
    static final Duration QUOTA_POLL = Duration.ofMillis(500);

    /**
     * Default of {@code --max-retry}: how often the params of a failed trial are retried (Optuna's retry callback
     * defaults to no bound; 3 is the bound its documentation shows).
     */
    public static final int DEFAULT_MAX_RETRY = 3;

    private final JdbcTrialStore store;
    private final TrialRetries retries;

    private StudyManager(JdbcTrialStore store, TrialRetries retries) {
        this.store = store;
        this.retries = retries;
    }

    /**
     * Opens (creating if needed) the database, with heartbeats every {@link #HEARTBEAT}; failed trials' params are
     * retried {@link #DEFAULT_MAX_RETRY} times.
     */
    public static StudyManager open(StorageUrl url) {
        return open(url, DEFAULT_MAX_RETRY);
    }

    /**
     * Opens (creating if needed) the database, with heartbeats every {@link #HEARTBEAT}.
     *
     * @param maxRetry how often the params of a failed trial are retried ({@code --max-retry}); >= 0
     */
    public static StudyManager open(StorageUrl url, int maxRetry) {
        TrialRetries retries = new TrialRetries(maxRetry); // checks the bound before the database is opened
        return new StudyManager(TrialStores.open(url, StoreOptions.withHeartbeat(HEARTBEAT)), retries);
    }

    /** The store. */
    public JdbcTrialStore store() {
        return store;
    }

    /** True if a study of this name exists. */
    public boolean exists(String name) {
        return store.getAllStudies().stream().anyMatch(s -> s.studyName().equals(name));
    }

    /**
     * Creates the study with {@code spec}, or resumes it if the stored spec has the same identity.
     *
     * @throws UserFacingException if it exists with another spec (the message lists each difference), or was not
     *                             made by {@code optimize}
     */
    public Study openStudy(String name, StudySpec spec) {
        return openStudy(name, spec, 0);
    }

    /**
     * As {@link #openStudy(String, StudySpec)}, for process {@code workerIndex} of a run (0 = the main process). Its
     * sampler seed is the spec's seed for the main process of a new study, and otherwise differs per process, so that
     * processes sharing a study do not suggest the same start-up trials: a worker k adds k to it (reproducible), and a
     * main process joining an existing study (a resume, or another machine's run) mixes in its {@code host:pid}, since
     * the same seed would repeat the draws the study already has.
     */
    public Study openStudy(String name, StudySpec spec, int workerIndex) {
        boolean existed = exists(name);
        if (existed) {
            requireSameSpec(name, spec);
        }
        long seed = samplerSeed(spec.seed(), workerIndex, existed, processName());
        Study study = Study.builder().store(store).name(name).directions(spec.directions())
                .sampler(SearchAlgorithms.sampler(spec, seed)).pruner(SearchAlgorithms.pruner(spec.search()))
                .loadIfExists(true).staleTrialCallback(retries::retryLost).create();
        if (!existed) {
            study.setSystemAttr(Specs.ATTR, Specs.toAttr(spec));
        }
        return study;
    }

    /** The sampler seed of one process (see {@link #openStudy(String, StudySpec, int)}). */
    static long samplerSeed(long studySeed, int workerIndex, boolean joining, String process) {
        if (workerIndex > 0) {
            return studySeed + workerIndex;
        }
        return joining ? studySeed ^ (0x9E3779B97F4A7C15L * process.hashCode()) : studySeed;
    }

    private void requireSameSpec(String name, StudySpec spec) {
        Object stored = store.getStudySystemAttrs(store.getStudyId(name)).get(Specs.ATTR);
        if (stored == null) {
            throw UserFacingException.usage("Study '" + name + "' was not created by 'steeropt optimize'",
                    "it has no stored spec (" + Specs.ATTR + ")", "Use another --study-name.");
        }
        List<String> diff = Specs.diff(Specs.fromAttr(stored), spec);
        if (!diff.isEmpty()) {
            throw UserFacingException.usage("Cannot resume study '" + name + "' with a different spec",
                    "stored -> requested:\n  " + String.join("\n  ", diff),
                    "\nRun with the stored settings (see config.json), or start a new study with another --study-name.");
        }
    }

    /** The stored test evaluation of a study, or null. */
    public Object testEvaluation(Study study) {
        return study.systemAttrs().get(TEST_ATTR);
    }

    /**
     * Refuses to continue a study whose test split was already evaluated, unless re-testing is allowed.
     *
     * @throws UserFacingException (exit code 2) naming when it was evaluated and how to proceed
     */
    public void requireTestAllowed(Study study, boolean allowRetest) {
        Object done = testEvaluation(study);
        if (done != null && !allowRetest) {
            throw UserFacingException.usage("Study '" + study.name() + "' already evaluated its test split once ("
                    + done + ")", "searching on and testing again would choose a configuration after seeing test"
                    + " results, and the test estimate would no longer be unbiased",
                    "Start a new study with another --study-name, or pass --allow-retest (recorded in the study as"
                    + " " + RETEST_ATTR + ").");
        }
    }

    /**
     * Claims the study's single test evaluation for {@code who} (e.g. {@code host:pid}). Several machines may run
     * {@code optimize} as main processes on one shared study; only the first to claim evaluates the test split. The
     * claim is one atomic compare-and-set of {@link #CLAIM_ATTR} under the study row's write lock, so exactly one
     * process wins; a loser learns the winner. With {@code allowRetest} the claim is taken over (recorded as a retest).
     */
    public TestClaim claimTest(Study study, String who, boolean allowRetest) {
        if (allowRetest) {
            study.setSystemAttr(CLAIM_ATTR, who);
            return new TestClaim(true, who);
        }
        Object winner = store.claimStudySystemAttr(study.studyId(), CLAIM_ATTR, who);
        boolean tested = study.systemAttrs().get(TEST_ATTR) != null;
        return new TestClaim(who.equals(winner) && !tested, String.valueOf(winner));
    }

    /**
     * The outcome of {@link #claimTest}.
     *
     * @param won    this process evaluates the test split
     * @param winner the process that holds the claim ({@code host:pid})
     */
    public record TestClaim(boolean won, String winner) {
        /** What a losing process tells its user. */
        public String loserNote(String studyName) {
            return "Study '" + studyName + "': the test split is evaluated once per study, by the process that claimed"
                    + " it first: " + winner + " (this process is not it). Its results: ./steeropt best-trial"
                    + " --storage URL --study-name " + studyName + ", and that process's output directory.";
        }
    }

    /** Records a test evaluation; a previous one moves into the re-test history together with this time. */
    @SuppressWarnings("unchecked")
    public void recordTest(Study study, Map<String, Object> summary) {
        Object previous = testEvaluation(study);
        if (previous != null) {
            List<Object> retests = new ArrayList<>();
            Object old = study.systemAttrs().get(RETEST_ATTR);
            if (old instanceof List<?> l) {
                retests.addAll((List<Object>) l);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", Instant.now().toString());
            entry.put("previous", previous);
            retests.add(entry);
            study.setSystemAttr(RETEST_ATTR, retests);
        }
        study.setSystemAttr(TEST_ATTR, summary);
    }

    /** Trial system attribute naming the process that ran a trial: {@code main@host:pid} or {@code worker-k@host:pid}. */
    public static final String WORKER_ATTR = TrialProcess.ATTR;

    /**
     * Runs trials in this process until the run's quota is used up ({@link TrialQuota}: the run's {@code --n-trials}
     * drawn by all its processes from one counter, and the study's {@code --max-trials}), the timeout passes, or
     * nothing is left to wait for. Each trial is tagged, in the transaction that starts it, with its run and
     * {@link #WORKER_ATTR}. A trial whose objective throws (or returns NaN) is FAIL with its reason, frees its slot, and
     * its params are enqueued again with Optuna's {@code failed_trial} and {@code retry_history} attributes (the next
     * trial of any process of the run takes them), at most {@code --max-retry} times per lineage; when a failed
     * trial has no retry left the whole run stops ({@link TrialRetries}). Before each trial, trials of dead processes
     * are failed and their params re-enqueued likewise; when the quota is used up while trials of other processes
     * still run, this process waits, so that it takes over the slot of one that dies.
     *
     * @param afterTrial called with each trial this process finished
     * @throws UserFacingException (exit 1) when a failed trial of the run has no retry left, naming the trial and its
     *                             error
     */
    public void search(Study study, Objective objective, TrialQuota quota, Duration timeout,
            Consumer<FrozenTrial> afterTrial) {
        searchMulti(study, t -> new double[] {objective.evaluate(t)}, quota, timeout, afterTrial);
    }

    /** {@link #search(Study, Objective, TrialQuota, Duration, Consumer)} for one value per study direction. */
    public void searchMulti(Study study, MultiObjective objective, TrialQuota quota, Duration timeout,
            Consumer<FrozenTrial> afterTrial) {
        StudyCallback report = (s, t) -> afterTrial.accept(t);
        StudyCallback retry = (s, t) -> retries.afterTrial(s, t, quota);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        store.setQuota(study.studyId(), quota);
        try {
            while (System.nanoTime() < deadline) {
                retries.requireRunGoing(study, quota);
                Duration left = timeout == null ? null : Duration.ofNanos(deadline - System.nanoTime());
                try {
                    study.optimizeMulti(objective, 1, left, List.of(Exception.class), List.of(report, retry));
                } catch (TrialQuota.Exhausted e) {
                    if (!othersRunning(study, quota)) {
                        break;
                    }
                    sleep(QUOTA_POLL);
                }
            }
        } finally {
            store.setQuota(study.studyId(), null);
        }
        retries.requireRunGoing(study, quota);
    }

    /**
     * Fails if a process of the run stopped it because a failed trial had no retry left (for the main process once
     * its workers have ended).
     *
     * @throws UserFacingException (exit 1) with the reason that process recorded
     */
    public void requireRunGoing(Study study, TrialQuota quota) {
        retries.requireRunGoing(study, quota);
    }

    /** How often the params of a failed trial are retried. */
    public int maxRetry() {
        return retries.maxRetry();
    }

    /** Whether a RUNNING trial that holds a slot of this quota may still free it (by dying). */
    private static boolean othersRunning(Study study, TrialQuota quota) {
        return study.trials(java.util.EnumSet.of(TrialState.RUNNING)).stream().anyMatch(t -> quota.maxTrials() != null
                || quota.runId().equals(t.systemAttrs().get(TrialQuota.RUN_ATTR)));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserFacingException.runtime("Interrupted while waiting for other processes' trials", null, null, e);
        }
    }

    /** This process as {@code host:pid}. */
    public static String processName() {
        return TrialProcess.current();
    }

    /** Finished trials of a study by state. */
    public static long count(Study study, TrialState state) {
        return study.trials().stream().filter(t -> t.state() == state).count();
    }

    /**
     * The command that runs {@code dev.steeropt.studies.cli.Main} with {@code args} in a new JVM: the same Java runtime,
     * class path, stack size and {@code ai.djl.offline} / {@code steeropt.shared} settings as this one.
     */
    public static List<String> javaCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss8m", "-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true")));
        String shared = System.getProperty("steeropt.shared");
        if (shared != null) {
            cmd.add("-Dsteeropt.shared=" + shared);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.steeropt.studies.cli.Main"));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts one worker process per entry of {@code argsPerWorker} ({@link #javaCommand}); worker k's stderr (k from 1)
     * goes to {@code worker-<k>.log} in {@code logDir}.
     */
    public static List<Process> startWorkers(List<List<String>> argsPerWorker, Path logDir) {
        Objects.requireNonNull(argsPerWorker, "argsPerWorker");
        List<Process> out = new ArrayList<>();
        for (int k = 1; k <= argsPerWorker.size(); k++) {
            List<String> cmd = javaCommand(argsPerWorker.get(k - 1));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectError(logDir.resolve("worker-" + k + ".log").toFile());
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            try {
                out.add(pb.start());
            } catch (IOException e) {
                out.forEach(Process::destroy);
                throw UserFacingException.runtime("Cannot start worker process " + k, e.getMessage(),
                        "Run with --n-workers 1, or check that " + cmd.get(0) + " is executable.", e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        store.close();
    }
}
