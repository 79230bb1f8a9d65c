package dev.steeropt.eval.datasets;

import dev.steeropt.eval.EvaluationInputException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry point for loading any dataset by name and split from a data directory (see {@link DatasetFile} for the
 * layout).
 *
 * <ul>
 *   <li>{@code gsm8k}: splits {@code train}, {@code test}</li>
 *   <li>{@code math500}: split {@code test}</li>
 *   <li>{@code synthetic}: {@code dataDir/synthetic/{split}.jsonl} in GSM8K format, as written by
 *       {@code SyntheticDataset#writeJsonl}; ids {@code synthetic-{split}-{i}}</li>
 * </ul>
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Loads a dataset split.
     *
     * @throws EvaluationInputException for an unknown split or a missing or malformed file
     */
    public static List<Problem> load(DatasetName dataset, String split, Path dataDir) {
        switch (dataset) {
            case GSM8K:
                return Gsm8k.load(dataDir, Gsm8k.Split.parse(split));
            case MATH500:
                if (!"test".equalsIgnoreCase(split.strip())) {
                    throw new EvaluationInputException("Unknown MATH-500 split '" + split + "'",
                            "MATH-500 has only the split test", "Pass test.");
                }
                return Math500.load(dataDir);
            case SYNTHETIC:
                String label = split.strip();
                if (!label.matches("[a-z][a-z0-9_]*")) {
                    throw new EvaluationInputException("Invalid synthetic split name '" + split + "'",
                            "split names become file names and ids", "Use lower-case letters, digits and '_'.");
                }
                Path file = dataDir.resolve("synthetic").resolve(label + ".jsonl");
                return Gsm8k.parseFile(file, "synthetic-" + label, Map.of("dataset", "synthetic", "split", label));
            default:
                throw new IllegalStateException("unhandled dataset " + dataset);
        }
    }

    /** The split a dataset is scored on by default: {@code test}. */
    public static String defaultEvaluationSplit(DatasetName dataset) {
        return "test";
    }

    /**
     * Checks that no id occurs twice.
     *
     * @param where names the source in the error message
     * @throws EvaluationInputException naming the first duplicate
     */
    public static void requireUniqueIds(List<Problem> problems, String where) {
        Set<String> seen = new HashSet<>();
        for (Problem p : problems) {
            if (!seen.add(p.id())) {
                throw new EvaluationInputException("Duplicate item id '" + p.id() + "' in " + where,
                        "ids must identify items uniquely for splits, caches and scoring",
                        "Remove or rename the duplicate.");
            }
        }
    }
}
