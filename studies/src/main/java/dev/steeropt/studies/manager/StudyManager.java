package dev.steeropt.studies.manager;

import dev.steeropt.errors.UserFacingException;
import dev.steeropt.optimizer.study.Objective;
import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyCallback;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.spec.SearchAlgorithms;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
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
 * processes, and the once-only test evaluation (recorded in {@link #TEST_ATTR}; a re-test needs
 * {@code --allow-retest} and is appended to {@link #RETEST_ATTR}).
 */
public final class StudyManager implements AutoCloseable {
    /** System attribute recording the test evaluation (time, best trial, accuracies). */
    public static final String TEST_ATTR = "steeropt:test_evaluation";
    /** System attribute listing every allowed re-test (time and the previous evaluation). */
    public static final String RETEST_ATTR = "steeropt:retests";
    /** Study system attribute naming the process that claimed the test evaluation ({@link #claimTest}). */
    public static final String CLAIM_ATTR = "steeropt:test_claim";
    /** Heartbeat interval when several workers share a study (a dead worker's trial is failed and retried). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(20);

    private final JdbcTrialStore store;

    private StudyManager(JdbcTrialStore store) {
        this.store = store;
    }

    /** Opens (creating if needed) the database; heartbeats are on when several workers share it. */
    public static StudyManager open(StorageUrl url, boolean heartbeats) {
        return new StudyManager(TrialStores.open(url,
                heartbeats ? StoreOptions.withHeartbeat(HEARTBEAT) : StoreOptions.DEFAULTS));
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
        Study study = Study.builder().store(store).name(name).direction(StudyDirection.MAXIMIZE)
                .sampler(SearchAlgorithms.sampler(spec, seed)).pruner(SearchAlgorithms.pruner(spec.search()))
                .loadIfExists(true).staleTrialCallback(new RetryFailedTrialCallback(2, true)).create();
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
     * {@code optimize} as main processes on one shared study; only the first to finish its share evaluates the test
     * split. Returns false (the caller skips the test) when the test was already evaluated or claimed by another
     * process and re-testing is not allowed. The claim is written and read back; two processes that check within the
     * same few milliseconds could both win, which the re-test history would then show.
     */
    public boolean claimTest(Study study, String who, boolean allowRetest) {
        Map<String, Object> attrs = study.systemAttrs();
        Object claim = attrs.get(CLAIM_ATTR);
        if (!allowRetest && (attrs.get(TEST_ATTR) != null || (claim != null && !who.equals(claim)))) {
            return false;
        }
        study.setSystemAttr(CLAIM_ATTR, who);
        return allowRetest || who.equals(study.systemAttrs().get(CLAIM_ATTR));
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
    public static final String WORKER_ATTR = "steeropt:worker";

    /**
     * Runs exactly {@code nTrials} trials in this process (fewer if the timeout passes or the loop is stopped), each
     * tagged with {@link #WORKER_ATTR} = {@code label}. A trial whose objective throws is FAIL (with its reason) and
     * the search goes on. Several processes on one study each run their own share ({@link #shares}), so the study
     * gains exactly the trials asked for: a shared target checked after each trial could be overshot by processes
     * finishing at the same time.
     *
     * @param label      who runs the trials, e.g. {@code main} or {@code worker-2}
     * @param afterTrial called with each trial this process finished
     */
    public void search(Study study, Objective objective, int nTrials, Duration timeout, String label,
            Consumer<FrozenTrial> afterTrial) {
        if (nTrials < 1) {
            return;
        }
        String who = label + "@" + processName();
        Objective tagged = t -> {
            t.setSystemAttr(WORKER_ATTR, who);
            return objective.evaluate(t);
        };
        StudyCallback report = (s, t) -> afterTrial.accept(t);
        study.optimize(tagged, nTrials, timeout, List.of(Exception.class), List.of(report));
    }

    /**
     * Splits {@code nTrials} over {@code processes} as evenly as possible, the first ones taking one more:
     * {@code shares(7, 3) = [3, 2, 2]}.
     */
    public static int[] shares(int nTrials, int processes) {
        if (nTrials < 0 || processes < 1) {
            throw new IllegalArgumentException("need nTrials >= 0 and processes >= 1, got " + nTrials + " and " + processes);
        }
        int[] out = new int[processes];
        for (int k = 0; k < processes; k++) {
            out[k] = nTrials / processes + (k < nTrials % processes ? 1 : 0);
        }
        return out;
    }

    /** This process as {@code host:pid}. */
    public static String processName() {
        return host() + ":" + ProcessHandle.current().pid();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** Finished trials of a study by state. */
    public static long count(Study study, TrialState state) {
        return study.trials().stream().filter(t -> t.state() == state).count();
    }

    /**
     * Starts one worker process per entry of {@code argsPerWorker}, with the same Java runtime and class path, running
     * {@code dev.steeropt.studies.cli.Main} with that entry's arguments; worker k's stderr (k from 1) goes to
     * {@code worker-<k>.log} in {@code logDir}.
     */
    public static List<Process> startWorkers(List<List<String>> argsPerWorker, Path logDir) {
        Objects.requireNonNull(argsPerWorker, "argsPerWorker");
        List<Process> out = new ArrayList<>();
        for (int k = 1; k <= argsPerWorker.size(); k++) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xss8m", "-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true")));
            String shared = System.getProperty("steeropt.shared");
            if (shared != null) {
                cmd.add("-Dsteeropt.shared=" + shared);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.steeropt.studies.cli.Main"));
            cmd.addAll(argsPerWorker.get(k - 1));
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
