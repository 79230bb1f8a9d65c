package dev.steeropt.studies.cli;

import dev.steeropt.eval.datasets.DatasetFile;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.HubDownloader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where datasets come from: {@code --data-dir} (default {@code $STEEROPT_DATA}, else
 * {@code ~/.cache/steeropt/data}) laid out like {@code gsm8k/train.jsonl}, {@code gsm8k/test.jsonl},
 * {@code math500/test.jsonl}. A missing GSM8K or MATH-500 file is downloaded from the Hugging Face hub unless
 * {@code --offline}; offline, the error names the file to provide.
 */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Dataset directory (default: $STEEROPT_DATA, else ~/.cache/steeropt/data).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; missing dataset files are an error.")
    boolean offline;

    /** The resolved data directory. */
    public Path dataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        String env = System.getenv("STEEROPT_DATA");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "steeropt", "data");
    }

    /** Makes sure the files a split of {@code dataset} needs are present (downloading them when allowed). */
    public Path ensure(DatasetName dataset, String split) {
        Path dir = dataDir();
        DatasetFile file = fileFor(dataset, split);
        if (file != null && !offline) {
            HubDownloader.ofPublicHub().ensure(file, dir);
        }
        return dir;
    }

    private static DatasetFile fileFor(DatasetName dataset, String split) {
        if (dataset == DatasetName.MATH500) {
            return DatasetFile.MATH500_TEST;
        }
        if (dataset == DatasetName.GSM8K) {
            return "train".equalsIgnoreCase(split.strip()) ? DatasetFile.GSM8K_TRAIN : DatasetFile.GSM8K_TEST;
        }
        return null;
    }
}
