package dev.steeropt.eval.splits;

import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The three splits of one study: {@code train} (steering vectors, probes, few-shot exemplars) and {@code validation}
 * (the search) drawn disjointly from a pool (GSM8K train), and {@code test} (GSM8K test) for the single final
 * evaluation. Immutable; construction checks that no id is in two splits.
 *
 * <p>{@link #draw} ranks every item by {@code SHA-256(seed + ":" + id)} (unsigned, byte-wise) and takes the first
 * {@code trainSize} pool items for train and the next {@code validationSize} for validation; a {@code testSize} limit
 * takes the lowest-ranked test items the same way. Each split lists its ids in dataset order. The same seed always
 * gives the same ids; another seed gives another draw. Drawing also refuses a question text that occurs in two splits
 * (an exemplar must never reappear in validation or test, even under another id).
 *
 * @param seed       the seed of the draw
 * @param train      train split
 * @param validation validation split
 * @param test       test split
 */
public record SplitPlan(long seed, Split train, Split validation, Split test) {

    public SplitPlan {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        requireDisjoint(train, validation);
        requireDisjoint(train, test);
        requireDisjoint(validation, test);
    }

    /**
     * Draws the plan.
     *
     * @param pool           the items train and validation come from (GSM8K train)
     * @param testItems      the held-out items (GSM8K test)
     * @param trainSize      train items, >= 0
     * @param validationSize validation items, >= 0
     * @param testSize       test items, or empty for all of {@code testItems}
     * @param seed           the seed
     * @throws EvaluationInputException if the pool is smaller than {@code trainSize + validationSize}, the test items
     *                                  fewer than {@code testSize}, or a question text appears in two splits
     */
    public static SplitPlan draw(List<Problem> pool, List<Problem> testItems, int trainSize, int validationSize,
                                 OptionalInt testSize, long seed) {
        if (trainSize < 0 || validationSize < 0 || (testSize.isPresent() && testSize.getAsInt() < 0)) {
            throw new IllegalArgumentException("split sizes must be >= 0, got train=" + trainSize + ", validation="
                    + validationSize + ", test=" + testSize);
        }
        Datasets.requireUniqueIds(pool, "the train/validation pool");
        Datasets.requireUniqueIds(testItems, "the test items");
        if ((long) trainSize + validationSize > pool.size()) {
            throw new EvaluationInputException("Cannot draw " + trainSize + " train and " + validationSize
                    + " validation items", "the pool holds only " + pool.size() + " items",
                    "Lower the split sizes to at most " + pool.size() + " in total.");
        }
        int nTest = testSize.orElse(testItems.size());
        if (nTest > testItems.size()) {
            throw new EvaluationInputException("Cannot draw " + nTest + " test items",
                    "the test set holds only " + testItems.size() + " items",
                    "Lower the test size to at most " + testItems.size() + ", or omit it to use all of them.");
        }
        List<Problem> rankedPool = ranked(pool, seed);
        List<Problem> trainItems = rankedPool.subList(0, trainSize);
        List<Problem> validationItems = rankedPool.subList(trainSize, trainSize + validationSize);
        List<Problem> testChosen = nTest == testItems.size() ? testItems : ranked(testItems, seed).subList(0, nTest);
        requireDisjointText(trainItems, "train", validationItems, "validation");
        requireDisjointText(trainItems, "train", testChosen, "test");
        requireDisjointText(validationItems, "validation", testChosen, "test");
        return new SplitPlan(seed, Split.of("train", inDatasetOrder(trainItems, pool)),
                Split.of("validation", inDatasetOrder(validationItems, pool)),
                Split.of("test", inDatasetOrder(testChosen, testItems)));
    }

    /**
     * Checks that every exemplar id is a train id.
     *
     * @throws IllegalArgumentException naming the first exemplar outside train
     */
    public void requireInTrain(Collection<String> exemplarIds) {
        Set<String> trainIds = new HashSet<>(train.ids());
        for (String id : exemplarIds) {
            if (!trainIds.contains(id)) {
                throw new IllegalArgumentException("exemplar '" + id + "' is not in the train split"
                        + (validation.contains(id) ? " (it is a validation item)" : "")
                        + (test.contains(id) ? " (it is a test item)" : "")
                        + "; take few-shot exemplars from train only.");
            }
        }
    }

    /** The rank key of an id under a seed: SHA-256 of {@code seed + ":" + id}. */
    static byte[] rankKey(long seed, String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((seed + ":" + id).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * The items in the order a draw with {@code seed} ranks them (by {@code SHA-256(seed + ":" + id)}, unsigned,
     * byte-wise): for cutting a dataset that has only one split (MATH-500) into train, validation and test.
     */
    public static List<Problem> ranked(List<Problem> items, long seed) {
        Map<String, byte[]> keys = new HashMap<>();
        for (Problem p : items) {
            keys.put(p.id(), rankKey(seed, p.id()));
        }
        List<Problem> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.<Problem, byte[]>comparing(p -> keys.get(p.id()), Arrays::compareUnsigned)
                .thenComparing(Problem::id));
        return sorted;
    }

    private static List<String> inDatasetOrder(List<Problem> chosen, List<Problem> dataset) {
        Set<String> ids = new HashSet<>();
        chosen.forEach(p -> ids.add(p.id()));
        List<String> out = new ArrayList<>(chosen.size());
        for (Problem p : dataset) {
            if (ids.contains(p.id())) {
                out.add(p.id());
            }
        }
        return out;
    }

    private static void requireDisjoint(Split a, Split b) {
        Set<String> ids = new HashSet<>(a.ids());
        for (String id : b.ids()) {
            if (ids.contains(id)) {
                throw new IllegalArgumentException("splits '" + a.name() + "' and '" + b.name() + "' share id '" + id
                        + "'; splits must be disjoint so no exemplar or search item leaks into evaluation.");
            }
        }
    }

    private static void requireDisjointText(List<Problem> a, String aName, List<Problem> b, String bName) {
        Map<String, String> texts = new HashMap<>();
        for (Problem p : a) {
            texts.put(normalizeQuestion(p.question()), p.id());
        }
        for (Problem p : b) {
            String other = texts.get(normalizeQuestion(p.question()));
            if (other != null) {
                throw new EvaluationInputException("The " + aName + " item '" + other + "' and the " + bName
                        + " item '" + p.id() + "' have the same question",
                        "the same problem in two splits leaks answers from one split into the other",
                        "Remove the duplicate from one of the source files, or draw with another seed.");
            }
        }
    }

    /** Whitespace-collapsed, lower-case question text, the identity used for the leak check. */
    static String normalizeQuestion(String question) {
        return question.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
