package dev.steeropt.studies.pipeline;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the multi-process {@code optimize} tests share: a tiny synthetic data set, the command line of a small pinned
 * run on the tiny fixture model, spawning it as a real CLI JVM ({@link StudyManager#javaCommand}, as the workers are
 * started), and reading the study back.
 */
public final class OptimizeRuns {
    static final long SEED = 3;

    private OptimizeRuns() {}

    /** Synthetic train and test files (8 train-pool items for 4 train + 4 validation, 4 test items). */
    public static Path writeData(Path data) throws Exception {
        List<Problem> pool = SyntheticDataset.generate(SEED, "train", 8);
        Set<String> keys = new HashSet<>();
        pool.forEach(p -> keys.add(SyntheticDataset.key(p.question())));
        SyntheticDataset.writeJsonl(pool, data.resolve("synthetic/train.jsonl"));
        SyntheticDataset.writeJsonl(SyntheticDataset.generate(SEED, "test", 4, 0, keys),
                data.resolve("synthetic/test.jsonl"));
        return data;
    }

    /** {@code optimize} of study {@code name} with 4 train / 4 validation / 4 test items on the tiny model. */
    public static List<String> args(Path data, String url, Path out, String name, int nTrials, int newTokens,
            String... extra) {
        List<String> args = new ArrayList<>(List.of("optimize", "--mode", "debug", "--model",
                TinyModel.dir().toString(), "--dataset", "synthetic", "--data-dir", data.toString(), "--train-size",
                "4", "--val-size", "4", "--test-size", "4", "--chunks", "2", "--max-new-tokens", "" + newTokens,
                "--seed", "" + SEED, "--n-trials", "" + nTrials, "--search-space", "{\"method\":[\"CAA\"]}",
                "--pairs", "answer_off_by_one", "--study-name", name, "--storage", url, "--output-dir",
                out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** Starts the CLI with {@code args} in a new JVM, stdout and stderr into {@code log}. */
    static Process spawn(List<String> args, Path log) throws Exception {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(StudyManager.javaCommand(args));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    /** The study's trials, or an empty list while the study does not exist yet. */
    static List<FrozenTrial> trials(String url, String name) {
        try (TrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            return store.findStudyId(name).map(id -> store.getAllTrials(id, null)).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of(); // the database is being created
        }
    }

    /** Polls the study until {@code condition} holds for its trials; fails after {@code limit}. */
    static List<FrozenTrial> awaitTrials(String url, String name, Predicate<List<FrozenTrial>> condition,
            Duration limit, Process running) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            List<FrozenTrial> t = trials(url, name);
            if (condition.test(t)) {
                return t;
            }
            if (!running.isAlive()) {
                throw new AssertionError("the run ended (exit " + running.exitValue() + ") before the condition held: "
                        + t);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for the study's trials: " + trials(url, name));
    }

    static long count(List<FrozenTrial> trials, TrialState state) {
        return trials.stream().filter(t -> t.state() == state).count();
    }
}
