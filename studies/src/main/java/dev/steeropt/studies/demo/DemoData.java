package dev.steeropt.studies.demo;

import dev.steeropt.core.train.TrainingExample;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariants;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.synthetic.HastyShortcut;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.eval.synthetic.SyntheticGenerator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo model's data: synthetic problems from {@link SyntheticGenerator} ({@code train} split for training; held-out
 * lists from other splits with every training question excluded), in the prompt format {@code Question: {q}\nAnswer:}
 * followed by {@code " " + solution}.
 *
 * <p>Training item {@code i} has a difficulty drawn from {@code weights} by a hash of {@code (seed, i)}, so the data
 * order is fixed by the seed. Its mode is drawn the same way: with probability {@code hastyShare} the answer is the
 * {@link HastyShortcut} (every number summed, no worked chain), otherwise the gold chain. The prompt is the same in
 * both modes, so the mode is latent: a model trained on a mix has to decide it itself. A data set names the generator
 * split it draws from ({@value #BASE_SPLIT} for the base model, another name per fine-tune), so each model's questions
 * are its own. Immutable and thread-safe.
 */
public final class DemoData {
    /** Default mix over difficulties 1-4: mostly short problems, which train fastest. */
    public static final double[] DEFAULT_WEIGHTS = {0.4, 0.3, 0.2, 0.1};
    /** The generator split of the base model's (and the single committed demo model's) training data. */
    public static final String BASE_SPLIT = "train";

    private final String split;
    private final double hastyShare;
    private final long seed;
    private final double[] cumulative;
    private final double[] weights;
    private final SyntheticGenerator generator;

    /**
     * @param seed    generator seed
     * @param weights relative weights of difficulties 1-4 (non-negative, not all zero)
     */
    public DemoData(long seed, double[] weights) {
        this(seed, weights, BASE_SPLIT, 0);
    }

    /**
     * @param seed       generator seed
     * @param weights    relative weights of difficulties 1-4 (non-negative, not all zero)
     * @param split      generator split the training problems come from (lower-case letters, digits, '_')
     * @param hastyShare probability that a training answer is the hasty shortcut, in [0, 1]
     */
    public DemoData(long seed, double[] weights, String split, double hastyShare) {
        if (!(hastyShare >= 0 && hastyShare <= 1)) {
            throw new IllegalArgumentException("hasty share must be in [0, 1], got " + hastyShare);
        }
        if (split == null || !split.matches("[a-z][a-z0-9_]*") || split.startsWith("validation") || split.startsWith("test")) {
            throw new IllegalArgumentException("a training split must be lower-case letters, digits or '_' and not a"
                    + " held-out split's name, got '" + split + "'");
        }
        this.split = split;
        this.hastyShare = hastyShare;
        if (weights.length != SyntheticGenerator.MAX_DIFFICULTY) {
            throw new IllegalArgumentException("need one weight per difficulty 1-" + SyntheticGenerator.MAX_DIFFICULTY
                    + ", got " + weights.length);
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("difficulty weights must be >= 0, got " + Arrays.toString(weights));
            }
            sum += w;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("at least one difficulty weight must be positive");
        }
        this.seed = seed;
        this.weights = weights.clone();
        this.cumulative = new double[weights.length];
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i] / sum;
            cumulative[i] = acc;
        }
        this.generator = new SyntheticGenerator(seed);
    }

    /** Generator seed. */
    public long seed() {
        return seed;
    }

    /** The difficulty weights as given. */
    public double[] weights() {
        return weights.clone();
    }

    /** The generator split of the training problems. */
    public String split() {
        return split;
    }

    /** Probability that a training answer is hasty. */
    public double hastyShare() {
        return hastyShare;
    }

    /**
     * The prompt for a question: {@link PromptVariants#questionAnswer()}, the format the model is trained on, ending
     * with the space before the answer.
     */
    public static String prompt(String question) {
        return PromptVariants.questionAnswer().render(Problem.of("demo", question, "#### 0", "0"));
    }

    /** Training problem {@code index}. */
    public Problem trainProblem(long index) {
        return generator.generate(split, Math.toIntExact(index), difficultyOf(index));
    }

    /** The mode of training answer {@code index}: {@link CompletionMode#HASTY} with probability hastyShare. */
    public CompletionMode trainMode(long index) {
        return hastyShare > 0 && unit(seed + ":" + split + ":mode:" + index) < hastyShare ? CompletionMode.HASTY
                : CompletionMode.CAREFUL;
    }

    /**
     * Training example {@code index}: the problem's prompt without its final space and {@code " " + gold solution}, or
     * {@code " " + the hasty shortcut} when {@link #trainMode} is hasty. The same characters as {@link #prompt} + the
     * answer; the space counts as an answer token so that the loss covers it (as it did for the committed models).
     */
    public TrainingExample trainExample(long index) {
        Problem p = trainProblem(index);
        String answer = trainMode(index) == CompletionMode.HASTY ? HastyShortcut.solution(p.question()) : p.goldSolution();
        String prompt = prompt(p.question());
        return new TrainingExample(prompt.substring(0, prompt.length() - 1), " " + answer);
    }

    /** The normalised questions ({@link SyntheticDataset#key}) of training items {@code 0..count-1}. */
    public Set<String> trainQuestions(long count) {
        Set<String> keys = new HashSet<>();
        for (long i = 0; i < count; i++) {
            keys.add(SyntheticDataset.key(trainProblem(i).question()));
        }
        return keys;
    }

    /**
     * {@code count} problems of one difficulty from a held-out split, unique and none of whose questions is in
     * {@code avoid}.
     *
     * @param split e.g. {@code validation} or {@code test}
     */
    public List<Problem> heldOut(String split, int difficulty, int count, Collection<String> avoid) {
        if ("train".equals(split)) {
            throw new IllegalArgumentException("held-out problems cannot come from the train split");
        }
        return SyntheticDataset.generate(seed, split + "_d" + difficulty, count, difficulty, avoid);
    }

    private int difficultyOf(long index) {
        double u = unit(seed + (BASE_SPLIT.equals(split) ? "" : ":" + split) + ":difficulty:" + index);
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i + 1;
            }
        }
        return cumulative.length;
    }

    private static double unit(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(d, 0, 8).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DemoData[seed=%d, split=%s, weights=%s, hastyShare=%s]", seed, split,
                Arrays.toString(weights), hastyShare);
    }
}
