package dev.steeropt.studies.analysis.directions;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.studies.analysis.AnalysisModel;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.pipeline.VectorBuilder;
import dev.steeropt.studies.spec.PairBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The directions of one {@code analyze directions} run, all from the train split: within model A (positive minus
 * negative side of the contrast pairs, read at the pairs' last token as CAA reads them) and, with {@code --versus B},
 * across models (A's minus B's residual over the same train prompts, at the read position: strength −1 in raw units
 * moves A's mean exactly onto B's there).
 */
public final class DirectionAnalysis {
    /** Value of {@link DirectionSet#KIND} for a within-model set. */
    public static final String WITHIN = "within";
    /** Value of {@link DirectionSet#KIND} for a cross-model set. */
    public static final String CROSS = "cross_model";

    private DirectionAnalysis() {}

    /** The within-model direction set of model A. */
    public static DirectionSet within(AnalysisRun run, PairBuilder contrast, List<Integer> layers, ReadMode read) {
        AnalysisModel a = run.model();
        List<Problem> train = run.data().train();
        List<VectorBuilder.Encoded> pairs = VectorBuilder.encodedPairs(contrast, train, run.variant()::render,
                run::encode, a.model().config().maxPositions());
        if (pairs.isEmpty()) {
            throw UserFacingException.usage("No " + contrast.wireName() + " contrast pair of the " + train.size()
                    + " train items fits the model", "a direction needs at least one pair", "Use another --pairs or"
                    + " a larger --n-train.");
        }
        List<String> ids = pairs.stream().map(e -> e.item().id()).toList();
        String set = "train/directions/" + contrast.wireName();
        Map<Integer, float[][]> pos = run.residuals(a, set + "/positive", ids, pairs.stream()
                .map(VectorBuilder.Encoded::positive).toList(), null, ReadMode.LAST_PROMPT_TOKEN, layers);
        Map<Integer, float[][]> neg = run.residuals(a, set + "/negative", ids, pairs.stream()
                .map(VectorBuilder.Encoded::negative).toList(), null, ReadMode.LAST_PROMPT_TOKEN, layers);
        Map<Integer, float[][]> prompts = promptResiduals(run, a, layers, read);
        Map<Integer, float[]> dirs = new TreeMap<>();
        Map<Integer, Double> norms = new TreeMap<>();
        for (int l : layers) {
            dirs.put(l, VectorMath.minus(VectorMath.mean(pos.get(l)), VectorMath.mean(neg.get(l))));
            norms.put(l, VectorMath.meanNorm(prompts.get(l)));
        }
        Map<String, String> meta = metadata(run, WITHIN, read, contrast.wireName());
        meta.put("n_pairs", Integer.toString(pairs.size()));
        return new DirectionSet(dirs, norms, meta);
    }

    /** The cross-model direction set, A minus B; requires {@code --versus}. */
    public static DirectionSet cross(AnalysisRun run, List<Integer> layers, ReadMode read) {
        AnalysisModel b = run.versus();
        if (b == null) {
            throw new IllegalStateException("a cross-model direction needs --versus");
        }
        run.requireSameShape("A cross-model direction (A's minus B's residual at each layer)");
        Map<String, String> meta = metadata(run, CROSS, read, CROSS);
        meta.put(DirectionSet.MODEL_B, b.fingerprint());
        meta.put("n_prompts", Integer.toString(run.data().train().size()));
        return crossModel(promptResiduals(run, run.model(), layers, read), promptResiduals(run, b, layers, read), layers,
                meta);
    }

    /**
     * The cross-model direction set from both models' reads of the same prompts (two models of the same shape: the
     * caller checks it, {@code ModelShape}): per layer, A's mean row minus B's, with A's mean row norm. The one
     * computation behind {@code analyze directions --versus} and {@code optimize --vector-source cross-model}.
     */
    public static DirectionSet crossModel(Map<Integer, float[][]> ra, Map<Integer, float[][]> rb, List<Integer> layers,
            Map<String, String> metadata) {
        Map<Integer, float[]> dirs = new TreeMap<>();
        Map<Integer, Double> norms = new TreeMap<>();
        for (int l : layers) {
            dirs.put(l, VectorMath.minus(VectorMath.mean(ra.get(l)), VectorMath.mean(rb.get(l))));
            norms.put(l, VectorMath.meanNorm(ra.get(l)));
        }
        return new DirectionSet(dirs, norms, metadata);
    }

    private static Map<Integer, float[][]> promptResiduals(AnalysisRun run, AnalysisModel m, List<Integer> layers,
            ReadMode read) {
        List<Problem> train = run.data().train();
        List<int[]> prompts = train.stream().map(run::encodePrompt).toList();
        List<int[]> completions = read == ReadMode.MEAN_GENERATED
                ? run.greedyCompletions(m, prompts) : null;
        return run.residuals(m, "train/directions/prompts", train.stream().map(Problem::id).toList(), prompts, completions,
                read, layers);
    }

    private static Map<String, String> metadata(AnalysisRun run, String kind, ReadMode read, String contrast) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(DirectionSet.KIND, kind);
        meta.put(DirectionSet.MODEL_A, run.model().fingerprint());
        meta.put(DirectionSet.SPLIT_HASH, run.data().plan().train().idsHash());
        meta.put(DirectionSet.READ, read.wireName());
        meta.put(DirectionSet.CONTRAST, contrast);
        meta.put("dataset", run.data().dataset().cliName());
        meta.put("prompt_variant", run.variant().name() + "@" + run.variant().hash());
        return meta;
    }
}
