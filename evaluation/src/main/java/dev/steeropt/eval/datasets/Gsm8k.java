package dev.steeropt.eval.datasets;

import dev.steeropt.eval.EvaluationInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GSM8K from local JSON Lines: one {@code {"question": ..., "answer": ...}} object per line, the answer ending in
 * {@code #### N}.
 *
 * <p>Item ids are {@code gsm8k-train-{i}} and {@code gsm8k-test-{i}} with {@code i} the 0-based line number. The gold
 * final answer is the text after the last {@code ####}, stripped (lm-evaluation-harness: {@code
 * answer.split('####')[-1].strip()}).
 */
public final class Gsm8k {

    /** The two GSM8K splits. */
    public enum Split {
        /** 7,473 items; the pool for steering-vector train and search validation. */
        TRAIN(DatasetFile.GSM8K_TRAIN),
        /** 1,319 items; held out for the single final evaluation. */
        TEST(DatasetFile.GSM8K_TEST);

        private final DatasetFile file;

        Split(DatasetFile file) {
            this.file = file;
        }

        /** The file this split is read from. */
        public DatasetFile file() {
            return file;
        }

        /** Lower-case name used in ids, {@code train} or {@code test}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code train} or {@code test}, case-insensitively. */
        public static Split parse(String name) {
            for (Split s : values()) {
                if (s.label().equalsIgnoreCase(name == null ? "" : name.strip())) {
                    return s;
                }
            }
            throw new EvaluationInputException("Unknown GSM8K split '" + name + "'",
                    "GSM8K has the splits train and test", "Pass train or test.");
        }
    }

    private Gsm8k() {
    }

    /** Loads a split from {@code dataDir/gsm8k/{split}.jsonl}. */
    public static List<Problem> load(Path dataDir, Split split) {
        return parse(split.file().resolve(dataDir), split.label(), split.file().howToObtain(dataDir));
    }

    /**
     * Parses any file in GSM8K's format; ids are {@code {idPrefix}-{i}}. Used for GSM8K itself ({@code gsm8k-test})
     * and for files in the same format such as exported synthetic problems ({@code synthetic-train}).
     */
    public static List<Problem> parseFile(Path file, String idPrefix, Map<String, String> metadata) {
        return parseInternal(file, idPrefix, metadata, "Provide " + file.toAbsolutePath()
                + " as GSM8K-format JSON Lines.");
    }

    private static List<Problem> parse(Path file, String splitLabel, String howToObtain) {
        return parseInternal(file, "gsm8k-" + splitLabel, Map.of("dataset", "gsm8k", "split", splitLabel),
                howToObtain);
    }

    private static List<Problem> parseInternal(Path file, String idPrefix, Map<String, String> metadata,
                                               String howToObtain) {
        List<JsonlReader.Line> lines = JsonlReader.read(file, howToObtain);
        List<Problem> problems = new ArrayList<>(lines.size());
        for (JsonlReader.Line line : lines) {
            String question = JsonlReader.requireText(file, line, "question");
            String answer = JsonlReader.requireText(file, line, "answer");
            problems.add(new Problem(idPrefix + "-" + line.index(), question, answer,
                    finalAnswer(answer, file, line.index()), metadata));
        }
        return List.copyOf(problems);
    }

    /**
     * The final answer of a GSM8K solution: the text after its last {@code ####}, stripped.
     *
     * @throws IllegalArgumentException if there is no {@code ####} or nothing follows it
     */
    public static String finalAnswer(String solution) {
        int at = solution.lastIndexOf("####");
        String tail = at < 0 ? "" : solution.substring(at + 4).strip();
        if (tail.isEmpty()) {
            throw new IllegalArgumentException("GSM8K solution has no '#### N' final answer: '" + abbreviate(solution)
                    + "'. Every GSM8K answer must end with '#### <number>'.");
        }
        return tail;
    }

    private static String finalAnswer(String answer, Path file, int index) {
        try {
            return finalAnswer(answer);
        } catch (IllegalArgumentException e) {
            throw new EvaluationInputException(file.toAbsolutePath() + " line " + (index + 1)
                    + ": the answer has no '#### N' final answer", "got '" + abbreviate(answer) + "'",
                    "Fix that line; GSM8K answers end with '#### <number>'.", e);
        }
    }

    private static String abbreviate(String s) {
        String flat = s.replace('\n', ' ');
        return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
    }
}
