package dev.steeropt.eval.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.SplitPlan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code synthetic} dataset: lists of generated problems with unique questions, split like GSM8K.
 *
 * <p>A split's item {@code i} is {@link SyntheticGenerator#generate(String, int, int, int)} at attempt 0, or at the next
 * attempt while its question duplicates an earlier item or a question to avoid; so lists are deterministic per (seed,
 * split, count, avoided questions) and never repeat a question.
 *
 * <pre>{@code
 * Study s = SyntheticDataset.study(7L, 200, 300, 500, 42L);   // 200 train, 300 validation, 500 test
 * SyntheticDataset.writeJsonl(s.test(), dataDir.resolve("synthetic/test.jsonl"));   // GSM8K-format export
 * }</pre>
 */
public final class SyntheticDataset {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SyntheticDataset() {
    }

    /**
     * A pool, a held-out test list and the split plan over them.
     *
     * @param pool the {@code synthetic-train-*} items train and validation are drawn from
     * @param test the {@code synthetic-test-*} items
     * @param plan the drawn, disjoint splits
     */
    public record Study(List<Problem> pool, List<Problem> test, SplitPlan plan) {
        public Study {
            pool = List.copyOf(pool);
            test = List.copyOf(test);
        }
    }

    /** {@code count} problems of {@code split} with unique questions and drawn difficulties. */
    public static List<Problem> generate(long seed, String split, int count) {
        return generate(seed, split, count, 0, Set.of());
    }

    /**
     * {@code count} problems of {@code split} whose questions are unique and not in {@code avoid}.
     *
     * @param difficulty 1–4, or 0 to draw each item's difficulty
     * @param avoid      normalised questions (see {@link #key}) that must not occur
     */
    public static List<Problem> generate(long seed, String split, int count, int difficulty,
                                         Collection<String> avoid) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        SyntheticGenerator generator = new SyntheticGenerator(seed);
        Set<String> seen = new HashSet<>(avoid);
        List<Problem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Problem p = null;
            for (int attempt = 0; attempt < 1000; attempt++) {
                Problem candidate = generator.generate(split, i, difficulty, attempt);
                if (seen.add(key(candidate.question()))) {
                    p = candidate;
                    break;
                }
            }
            if (p == null) {
                throw new IllegalStateException("no unique question for synthetic-" + split + "-" + i + " after 1000 "
                        + "attempts; the templates cannot produce " + count + " distinct problems at difficulty "
                        + difficulty + ".");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /**
     * A study over synthetic data: a pool of {@code trainSize + validationSize} {@code train} items, {@code testSize}
     * {@code test} items whose questions differ from every pool question, and a {@link SplitPlan} drawn with
     * {@code splitSeed}.
     */
    public static Study study(long seed, int trainSize, int validationSize, int testSize, long splitSeed) {
        return study(seed, trainSize, validationSize, testSize, splitSeed, Set.of());
    }

    /**
     * As {@link #study(long, int, int, int, long)}, with no item whose question is in {@code avoid} (normalised by
     * {@link #key}): e.g. the questions a model was trained on, so that neither the search nor the test measures
     * memorised answers.
     */
    public static Study study(long seed, int trainSize, int validationSize, int testSize, long splitSeed,
            Collection<String> avoid) {
        List<Problem> pool = generate(seed, "train", trainSize + validationSize, 0, avoid);
        Set<String> poolQuestions = new HashSet<>(avoid);
        pool.forEach(p -> poolQuestions.add(key(p.question())));
        List<Problem> test = generate(seed, "test", testSize, 0, poolQuestions);
        return new Study(pool, test, SplitPlan.draw(pool, test, trainSize, validationSize, OptionalInt.empty(),
                splitSeed));
    }

    /** The identity of a question for duplicate checks: whitespace collapsed, lower case. */
    public static String key(String question) {
        return question.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /**
     * Writes problems as GSM8K-format JSON Lines ({@code {"question", "answer"}}), in list order, so that line i is
     * item i; {@code Datasets.load(SYNTHETIC, split, dataDir)} reads {@code dataDir/synthetic/{split}.jsonl} back with
     * the same ids.
     */
    public static void writeJsonl(List<Problem> problems, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Problem p : problems) {
                ObjectNode line = MAPPER.createObjectNode();
                line.put("question", p.question());
                line.put("answer", p.goldSolution());
                w.write(MAPPER.writeValueAsString(line));
                w.write('\n');
            }
        }
    }
}
