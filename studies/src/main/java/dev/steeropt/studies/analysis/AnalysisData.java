package dev.steeropt.studies.analysis;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.Split;
import dev.steeropt.eval.splits.SplitPlan;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.studies.demo.DemoModelTraining;
import dev.steeropt.studies.errors.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The items of one {@code analyze} run: the train items directions, means and probes are fit on, and the items of the
 * evaluated split, from one leak-free {@link SplitPlan}. Immutable.
 *
 * <ul>
 *   <li>{@code synthetic}: generated with the seed (never a question a demo model was trained on), train
 *       {@code nTrain}, validation and test {@code n} each, as {@code optimize} draws them;</li>
 *   <li>{@code gsm8k}: train and validation drawn from GSM8K train, test from GSM8K test;</li>
 *   <li>{@code math500}: MATH-500 has only its 500 test problems, so they are ranked by the seed
 *       ({@link SplitPlan#ranked}) and cut into train {@value #MATH500_TRAIN}, validation
 *       {@value #MATH500_VALIDATION} and test (the remaining {@value #MATH500_TEST}); the first {@code nTrain} and
 *       {@code n} of them are used. The cut is recorded in {@link #source}.</li>
 * </ul>
 *
 * @param dataset   the dataset
 * @param split     the evaluated split
 * @param plan      the drawn splits (ids and hashes)
 * @param pool      the items train (and validation, except for test) are selected from (k-shot exemplars too)
 * @param evaluated the evaluated split's items, in split order
 * @param source    where the items came from and how they were split
 */
public record AnalysisData(DatasetName dataset, EvalSplit split, SplitPlan plan, List<Problem> pool,
        List<Problem> evaluated, List<Problem> train, String source) {
    /** MATH-500 problems in its train part. */
    public static final int MATH500_TRAIN = 200;
    /** MATH-500 problems in its validation part. */
    public static final int MATH500_VALIDATION = 100;
    /** MATH-500 problems in its test part. */
    public static final int MATH500_TEST = 200;

    public AnalysisData {
        pool = List.copyOf(pool);
        evaluated = List.copyOf(evaluated);
        train = List.copyOf(train);
    }

    /** The evaluated split's ids and hash. */
    public Split evaluatedSplit() {
        return switch (split) {
            case TRAIN -> plan.train();
            case VALIDATION -> plan.validation();
            case TEST -> plan.test();
        };
    }

    /**
     * Loads the items.
     *
     * @param dataDir  the data directory (files already ensured)
     * @param modelDir the model A folder (its demo manifest, if any, names questions to exclude)
     * @throws UserFacingException (usage) when the dataset holds fewer items than asked for
     */
    public static AnalysisData load(DatasetName dataset, EvalSplit split, int nTrain, int n, long seed, Path dataDir,
            Path modelDir) {
        if (n < 1 || nTrain < 1) {
            throw UserFacingException.usage("Invalid item counts --n " + n + " / --n-train " + nTrain, "an analysis"
                    + " needs at least one item to evaluate and one to fit on", "Pass --n 1 or more and --n-train 1 or more.");
        }
        if (dataset == DatasetName.SYNTHETIC && !Files.isRegularFile(dataDir.resolve("synthetic/train.jsonl"))) {
            Set<String> seen = DemoModelTraining.trainingQuestions(modelDir);
            SyntheticDataset.Study st = SyntheticDataset.study(seed, nTrain, n, n, seed, seen);
            return of(dataset, split, st.plan(), st.pool(), st.test(), "generated (synthetic, seed " + seed
                    + (seen.isEmpty() ? "" : "; the model's training questions excluded") + ")");
        }
        if (dataset == DatasetName.MATH500) {
            return math500(split, nTrain, n, seed, dataDir);
        }
        List<Problem> pool = Datasets.load(dataset, "train", dataDir);
        List<Problem> test = Datasets.load(dataset, "test", dataDir);
        SplitPlan plan;
        try {
            plan = SplitPlan.draw(pool, test, nTrain, n, OptionalInt.of(n), seed);
        } catch (dev.steeropt.eval.EvaluationInputException e) {
            throw UserFacingException.usage(e.getMessage(), null, "Lower --n or --n-train.", e);
        }
        return of(dataset, split, plan, pool, test, dataDir.toAbsolutePath() + "/" + dataset.cliName() + " (seed " + seed
                + ")");
    }

    private static AnalysisData math500(EvalSplit split, int nTrain, int n, long seed, Path dataDir) {
        List<Problem> all = Datasets.load(DatasetName.MATH500, "test", dataDir);
        int evalCap = split == EvalSplit.TEST ? MATH500_TEST : MATH500_VALIDATION;
        if (nTrain > MATH500_TRAIN || n > evalCap) {
            throw UserFacingException.usage("MATH-500 cannot give --n-train " + nTrain + " and --n " + n + " of split "
                    + split.wireName(), "its 500 problems are split into train " + MATH500_TRAIN + ", validation "
                    + MATH500_VALIDATION + " and test " + MATH500_TEST, "Pass --n-train <= " + MATH500_TRAIN
                    + " and --n <= " + evalCap + ".");
        }
        List<String> ranked = SplitPlan.ranked(all, seed).stream().map(Problem::id).toList();
        List<String> trainIds = ranked.subList(0, nTrain);
        List<String> valIds = ranked.subList(MATH500_TRAIN, MATH500_TRAIN + Math.min(n, MATH500_VALIDATION));
        List<String> testIds = ranked.subList(MATH500_TRAIN + MATH500_VALIDATION, MATH500_TRAIN + MATH500_VALIDATION
                + Math.min(n, MATH500_TEST));
        SplitPlan plan = new SplitPlan(seed, Split.of("train", inDatasetOrder(all, trainIds)),
                Split.of("validation", inDatasetOrder(all, valIds)), Split.of("test", inDatasetOrder(all, testIds)));
        return of(DatasetName.MATH500, split, plan, all, all, dataDir.toAbsolutePath() + "/math500 (500 problems ranked"
                + " by seed " + seed + " and cut into train " + MATH500_TRAIN + " / validation " + MATH500_VALIDATION
                + " / test " + MATH500_TEST + ")");
    }

    private static List<String> inDatasetOrder(List<Problem> all, List<String> ids) {
        Set<String> wanted = Set.copyOf(ids);
        return all.stream().map(Problem::id).filter(wanted::contains).toList();
    }

    private static AnalysisData of(DatasetName dataset, EvalSplit split, SplitPlan plan, List<Problem> pool,
            List<Problem> test, String source) {
        List<Problem> train = plan.train().select(pool);
        List<Problem> evaluated = switch (split) {
            case TRAIN -> train;
            case VALIDATION -> plan.validation().select(pool);
            case TEST -> plan.test().select(test);
        };
        return new AnalysisData(dataset, split, plan, pool, evaluated, train, source);
    }
}
