package dev.steeropt.studies.pipeline;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.SplitPlan;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import dev.steeropt.studies.demo.DemoModelTraining;
import dev.steeropt.studies.spec.StudySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The study's items: the pool train and validation are drawn from, the held-out test items, the leak-free
 * {@link SplitPlan} (ids and hashes), and a SHA-256 of all items' content.
 *
 * @param pool   GSM8K train (or the synthetic train pool)
 * @param test   GSM8K test (or the synthetic test items)
 * @param plan   the drawn splits
 * @param sha256 hash of every pool and test item (id, question, gold answer), for the manifest
 * @param source where the items came from (files or "generated")
 */
public record StudyData(List<Problem> pool, List<Problem> test, SplitPlan plan, String sha256, String source) {

    /** Train items in split order. */
    public List<Problem> train() {
        return plan.train().select(pool);
    }

    /** Validation items. */
    public List<Problem> validation() {
        return plan.validation().select(pool);
    }

    /** Test items. */
    public List<Problem> testItems() {
        return plan.test().select(test);
    }

    /**
     * Loads (GSM8K, or synthetic files in {@code dataDir/synthetic}) or generates (synthetic) the items and draws the
     * splits. Generated synthetic items never repeat a question the model was trained on, when the model directory
     * carries the manifest of {@code train-demo-model}.
     */
    public static StudyData load(StudySpec spec, Path dataDir) {
        StudySpec.Splits s = spec.splits();
        if (spec.dataset() == DatasetName.SYNTHETIC && !Files.isRegularFile(dataDir.resolve("synthetic/train.jsonl"))) {
            int nTest = s.test() == null ? 1319 : s.test();
            Set<String> seen = DemoModelTraining.trainingQuestions(Path.of(spec.model()));
            SyntheticDataset.Study st = SyntheticDataset.study(spec.seed(), s.train(), s.validation(), nTest, s.seed(),
                    seen);
            return new StudyData(st.pool(), st.test(), st.plan(), hash(st.pool(), st.test()),
                    "generated (synthetic, seed " + spec.seed() + (seen.isEmpty() ? ""
                            : String.format(java.util.Locale.ROOT, "; the %,d questions the model was trained on"
                                    + " excluded", seen.size())) + ")");
        }
        DatasetName name = spec.dataset();
        List<Problem> pool;
        List<Problem> test;
        if (name == DatasetName.MATH500) {
            // one split only: ranked by the split seed, the first MATH500_POOL are the train/validation pool
            List<Problem> ranked = SplitPlan.ranked(Datasets.load(name, "test", dataDir), s.seed());
            pool = ranked.subList(0, Math.min(MATH500_POOL, ranked.size()));
            test = ranked.subList(pool.size(), ranked.size());
        } else {
            pool = Datasets.load(name, "train", dataDir);
            test = Datasets.load(name, "test", dataDir);
        }
        SplitPlan plan = SplitPlan.draw(pool, test, s.train(), s.validation(),
                s.test() == null ? OptionalInt.empty() : OptionalInt.of(s.test()), s.seed());
        return new StudyData(pool, test, plan, hash(pool, test), dataDir.toAbsolutePath() + "/" + spec.dataset().cliName());
    }

    /**
     * MATH-500 problems in the train/validation pool of a study; the other 200 are its test items (MATH-500 has only
     * its test split, so it is ranked by the split seed and cut, as {@code analyze} cuts it).
     */
    public static final int MATH500_POOL = 300;

    private static String hash(List<Problem> pool, List<Problem> test) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (List<Problem> part : List.of(pool, test)) {
                for (Problem p : part) {
                    md.update((p.id() + "\t" + p.question() + "\t" + p.goldAnswer() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
