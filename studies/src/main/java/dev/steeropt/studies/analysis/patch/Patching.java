package dev.steeropt.studies.analysis.patch;

import dev.steeropt.core.hooks.ActivationCapture;
import dev.steeropt.core.hooks.ActivationReplacement;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.InterventionTargets;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.stats.Accuracy;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.GradedGeneration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The measurements of {@link PatchCommand}: the source run's activations cached per batch (same item order as the
 * target, so row r of the source is row r of the target), teacher-forced gold log-probabilities and greedy
 * generations of the target with one site (a layer's component, or one head of a layer's {@code hook_z}) patched at a
 * time. Target position t of a row reads the source at the position {@link PatchPositions} maps it to.
 */
final class Patching {
    private Patching() {}

    /** Where one patched run writes: a hook point, and the query head of a {@code hook_z} point (-1: every column). */
    record Site(HookPoint point, int head) {}

    /** One run's averages over the items. */
    record Effect(double goldLogprob, double accuracy, double carefulShare) {}

    /** The unpatched source and target runs and each site's patched target run. */
    record Measured(Effect source, Effect target, List<Effect> sites) {}

    /** Prompt ids followed by the gold solution's ids, and where the solution starts. */
    private record Forced(int[] ids, int answerStart) {}

    static Measured run(AnalysisRun run, LoadedModel source, List<PatchItems.Item> items, List<Site> sites,
            PatchPositions positions, int headDim) {
        LoadedModel target = run.model().model();
        String sourceName = run.versus() != null ? run.versus().name() : run.model().name();
        List<HookPoint> points = new ArrayList<>(new LinkedHashSet<>(sites.stream().map(Site::point).toList()));
        List<Forced> forcedS = new ArrayList<>();
        List<Forced> forcedT = new ArrayList<>();
        for (PatchItems.Item it : items) {
            forcedS.add(forced(run, it.source()));
            forcedT.add(forced(run, it.target()));
        }
        run.err().println("Teacher-forcing the gold answers through " + sourceName + " and " + run.model().name() + " ...");
        double lpS = 0;
        double lpT = 0;
        double[] lpPatched = new double[sites.size()];
        for (int start = 0; start < items.size(); start += GradedGeneration.MAX_BATCH) {
            int end = Math.min(items.size(), start + GradedGeneration.MAX_BATCH);
            List<Forced> partS = forcedS.subList(start, end);
            List<Forced> partT = forcedT.subList(start, end);
            PromptBatch batchS = PromptBatch.leftPad(partS.stream().map(Forced::ids).toList(), run.padId());
            PromptBatch batchT = PromptBatch.leftPad(partT.stream().map(Forced::ids).toList(), run.padId());
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.ALL, points);
            lpS += goldLogprob(source.forward(batchS, List.of(), Transformer.Logits.ALL, cap.hooks()), batchS, partS);
            lpT += goldLogprob(target.forward(batchT, List.of(), Transformer.Logits.ALL, HookSet.empty()), batchT, partT);
            int[] lastS = partS.stream().mapToInt(f -> f.answerStart() - 1).toArray();
            int[] lastT = partT.stream().mapToInt(f -> f.answerStart() - 1).toArray();
            for (int i = 0; i < sites.size(); i++) {
                Site site = sites.get(i);
                ActivationReplacement.Source all = ActivationReplacement.byPosition(cap.get(site.point()));
                // the forced rows' "prompt length" is the whole sequence, so the prompt's end is looked up per row
                ActivationReplacement.Source src = (row, pos, len) -> {
                    int at = positions.forcedSource(pos, lastT[row], lastS[row]);
                    return at < 0 ? null : all.at(row, at, len);
                };
                lpPatched[i] += goldLogprob(target.forward(batchT, List.of(), Transformer.Logits.ALL,
                        patch(site, src, InterventionTargets.EVERYWHERE, headDim).hooks()), batchT, partT);
            }
        }
        int n = items.size();
        List<Problem> sItems = items.stream().map(PatchItems.Item::source).toList();
        List<Problem> tItems = items.stream().map(PatchItems.Item::target).toList();
        run.err().println("Generating " + n + " items with " + sourceName + ", " + run.model().name() + " and each of "
                + sites.size() + " patched sites ...");
        List<GradedGeneration.Completion> src = GradedGeneration.run(run, source, sItems, s -> HookSet.empty());
        List<GradedGeneration.Completion> tgt = GradedGeneration.run(run, target, tItems, s -> HookSet.empty());
        // greedy: the source's prompt activations of each batch, cached once per batch
        List<ActivationCapture> promptSource = new ArrayList<>();
        List<int[]> sourceLengths = new ArrayList<>();
        for (int start = 0; start < n; start += GradedGeneration.MAX_BATCH) {
            List<Problem> part = sItems.subList(start, Math.min(n, start + GradedGeneration.MAX_BATCH));
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.PROMPT, points);
            PromptBatch b = run.batch(part);
            source.forward(b, List.of(), Transformer.Logits.LAST, cap.hooks());
            promptSource.add(cap);
            int[] lens = new int[part.size()];
            for (int r = 0; r < lens.length; r++) {
                lens[r] = b.promptLength(r);
            }
            sourceLengths.add(lens);
        }
        List<Effect> out = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            Site site = sites.get(i);
            List<GradedGeneration.Completion> patched = GradedGeneration.run(run, target, tItems, start -> {
                ActivationCapture cap = promptSource.get(start / GradedGeneration.MAX_BATCH);
                int[] lens = sourceLengths.get(start / GradedGeneration.MAX_BATCH);
                ActivationReplacement.Source all = ActivationReplacement.byPosition(cap.get(site.point()));
                ActivationReplacement.Source s = (row, pos, len) -> {
                    int at = positions.promptSource(pos, len - 1, lens[row] - 1);
                    return at < 0 ? null : all.at(row, at, len);
                };
                return patch(site, s, InterventionTargets.EVERYWHERE.inPromptOnly(), headDim).hooks();
            });
            out.add(new Effect(lpPatched[i] / n, acc(patched), careful(patched)));
        }
        return new Measured(new Effect(lpS / n, acc(src), careful(src)), new Effect(lpT / n, acc(tgt), careful(tgt)), out);
    }

    /** The patch of one site: positions the source has no vector for keep their value (the mapping chooses them). */
    private static ActivationReplacement patch(Site site, ActivationReplacement.Source src, InterventionTargets targets,
            int headDim) {
        ActivationReplacement r = ActivationReplacement.partial(site.point(), src, targets);
        return site.head() < 0 ? r : r.onlyHead(site.head(), headDim);
    }

    private static Forced forced(AnalysisRun run, Problem p) {
        String prompt = run.variant().render(p);
        return new Forced(run.encode(prompt + p.goldSolution()), run.encode(prompt).length);
    }

    /** Sum over rows of the gold solution's log-probability (each answer token given everything before it). */
    private static double goldLogprob(ForwardResult r, PromptBatch batch, List<Forced> part) {
        int width = batch.width();
        int vocab = r.vocab();
        float[] logits = r.logits();
        double total = 0;
        for (int b = 0; b < part.size(); b++) {
            Forced f = part.get(b);
            int pad = width - f.ids().length;
            for (int t = f.answerStart(); t < f.ids().length; t++) {
                int at = (b * width + pad + t - 1) * vocab;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, logits[at + v]);
                }
                double sum = 0;
                for (int v = 0; v < vocab; v++) {
                    sum += Math.exp(logits[at + v] - max);
                }
                total += logits[at + f.ids()[t]] - max - Math.log(sum);
            }
        }
        return total;
    }

    /** Share of the source-target gap a patched value closes: 0 = target, 1 = source; NaN without a gap. */
    static double recovered(double patched, double target, double source) {
        return source == target ? Double.NaN : (patched - target) / (source - target);
    }

    private static double acc(List<GradedGeneration.Completion> cs) {
        return Accuracy.of(GradedGeneration.correct(cs)).rate();
    }

    private static double careful(List<GradedGeneration.Completion> cs) {
        return (double) cs.stream().filter(c -> c.mode() == CompletionMode.CAREFUL).count() / cs.size();
    }
}
