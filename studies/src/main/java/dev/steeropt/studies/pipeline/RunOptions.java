package dev.steeropt.studies.pipeline;

import dev.steeropt.studies.store.StorageUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and how one {@code optimize} process runs a study.
 *
 * @param studyName    the study (resumed if it exists with the same spec)
 * @param storage      the database
 * @param outputDir    artifacts
 * @param dataDir      datasets
 * @param cacheDir     activation cache (steering vectors)
 * @param allowRetest  evaluate the test split again although the study already did (recorded)
 * @param worker       a child process: search only, no workers, no test, no artifacts
 * @param runId        the run this process belongs to (its trials are counted together against {@code --n-trials});
 *                     null for a main process, which names a new run
 * @param maxTrials    the study's cap over every run and machine ({@code --max-trials}), or null
 * @param workerIndex  for a worker: its number k (1..K−1, as in {@code worker-<k>.log}); 0 for the main process
 * @param workerArgs   the command line a worker runs (without {@code --worker}); used by the main process
 * @param maxRetry     how often the params of a failed trial are retried ({@code --max-retry}); >= 0
 * @param fault        objective failures injected for self-tests; {@link TrialFault#NONE} in production
 */
public record RunOptions(String studyName, StorageUrl storage, Path outputDir, Path dataDir, Path cacheDir,
        boolean allowRetest, boolean worker, String runId, Integer maxTrials, int workerIndex, List<String> workerArgs,
        int maxRetry, TrialFault fault) {
    public RunOptions {
        if (maxRetry < 0) {
            throw new IllegalArgumentException("maxRetry must be >= 0, got " + maxRetry);
        }
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(studyName, "studyName");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        workerArgs = workerArgs == null ? List.of() : List.copyOf(workerArgs);
    }
}
