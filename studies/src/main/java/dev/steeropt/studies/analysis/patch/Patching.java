package dev.steeropt.studies.analysis.patch;

import dev.steeropt.core.hooks.ActivationCapture;
import dev.steeropt.core.hooks.ActivationReplacement;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.InterventionTargets;
import dev.steeropt.core.hooks.SteerPositions;
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
import java.util.List;
import java.util.function.IntFunction;

/**
 * The measurements of {@link PatchCommand}: source activations cached per batch (same batch layout as the target, so
 * rows and position ids match), teacher-forced gold log-probabilities and greedy generations of the target with one
 * layer patched at a time.
 */
final class Patching {
    private Patching() {}

    /** Prompt ids followed by the gold solution's ids, and where the solution starts. */
    record Forced(int[] ids, int answerStart) {}

    static PatchCommand.Report run(AnalysisRun run, PatchCommand.Component component, PatchCommand.Positions positions,
            IntFunction<HookPoint> point) {
        LoadedModel target = run.model().model();
        LoadedModel source = run.versus().model();
        List<Problem> items = run.data().evaluated();
        List<Forced> forced = new ArrayList<>();
        for (Problem p : items) {
            String prompt = run.variant().render(p);
            int[] pIds = run.encode(prompt);
            int[] all = run.encode(prompt + p.goldSolution());
            forced.add(new Forced(all, pIds.length));
        }
        int[] layers = run.layers();
        List<HookPoint> points = new ArrayList<>();
        for (int l : layers) {
            points.add(point.apply(l));
        }
        SteerPositions where = positions == PatchCommand.Positions.LAST ? SteerPositions.LAST_PROMPT_TOKEN : SteerPositions.ALL;
        run.err().println("Teacher-forcing the gold answers through " + run.versus().name() + " and "
                + run.model().name() + " ...");
        // teacher-forced: the source's activations of each batch at every position, cached once
        List<ActivationCapture> forcedSource = new ArrayList<>();
        double lpSource = 0;
        double lpTarget = 0;
        double[] lpPatched = new double[layers.length];
        for (int start = 0; start < forced.size(); start += GradedGeneration.MAX_BATCH) {
            List<Forced> part = forced.subList(start, Math.min(forced.size(), start + GradedGeneration.MAX_BATCH));
            PromptBatch batch = PromptBatch.leftPad(part.stream().map(Forced::ids).toList(), run.padId());
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.ALL, points);
            lpSource += goldLogprob(source.forward(batch, List.of(), Transformer.Logits.ALL, cap.hooks()), batch, part);
            lpTarget += goldLogprob(target.forward(batch, List.of(), Transformer.Logits.ALL, HookSet.empty()), batch, part);
            for (int i = 0; i < layers.length; i++) {
                HookPoint p = points.get(i);
                // "last": the last prompt token (position answerStart - 1 of each row); "all": every position
                ActivationReplacement patch = ActivationReplacement.partial(p, forcedSource(cap, p, part, where),
                        InterventionTargets.EVERYWHERE);
                lpPatched[i] += goldLogprob(target.forward(batch, List.of(), Transformer.Logits.ALL, patch.hooks()),
                        batch, part);
            }
            forcedSource.add(cap);
        }
        int n = items.size();
        run.err().println("Generating " + n + " items with " + run.versus().name() + ", " + run.model().name()
                + " and each of " + layers.length + " patched layers ...");
        List<GradedGeneration.Completion> src = GradedGeneration.run(run, source, items, s -> HookSet.empty());
        List<GradedGeneration.Completion> tgt = GradedGeneration.run(run, target, items, s -> HookSet.empty());
        // greedy: the source's prompt activations of each batch, cached once per batch
        List<ActivationCapture> promptSource = new ArrayList<>();
        for (int start = 0; start < n; start += GradedGeneration.MAX_BATCH) {
            List<Problem> part = items.subList(start, Math.min(n, start + GradedGeneration.MAX_BATCH));
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.PROMPT, points);
            source.forward(run.batch(part), List.of(), Transformer.Logits.LAST, cap.hooks());
            promptSource.add(cap);
        }
        double accS = acc(src);
        double accT = acc(tgt);
        double lpS = lpSource / n;
        double lpT = lpTarget / n;
        List<PatchCommand.Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            HookPoint p = points.get(i);
            InterventionTargets targets = InterventionTargets.of(where).inPromptOnly();
            List<GradedGeneration.Completion> patched = GradedGeneration.run(run, target, items, start -> {
                ActivationCapture cap = promptSource.get(start / GradedGeneration.MAX_BATCH);
                return ActivationReplacement.of(p, ActivationReplacement.byPosition(cap.get(p)), targets).hooks();
            });
            double lp = lpPatched[i] / n;
            double a = acc(patched);
            out.add(new PatchCommand.Layer(layers[i], lp, recovered(lp, lpT, lpS), a, recovered(a, accT, accS),
                    careful(patched)));
        }
        return new PatchCommand.Report(run.model().name(), run.versus().name(), component.wireName(),
                positions.wireName(), run.data().dataset().cliName(), run.data().split().wireName(), n, lpT, lpS, accT,
                accS, careful(tgt), careful(src), out);
    }

    /** The source vectors the teacher-forced patch writes: each row's last prompt token, or every position. */
    private static ActivationReplacement.Source forcedSource(ActivationCapture cap, HookPoint p, List<Forced> part,
            SteerPositions where) {
        ActivationReplacement.Source all = ActivationReplacement.byPosition(cap.get(p));
        if (where == SteerPositions.ALL) {
            return all;
        }
        // the forced sequences' "prompt length" is the whole sequence, so the last prompt token is found per row
        return (row, pos, len) -> pos == part.get(row).answerStart() - 1 ? all.at(row, pos, len) : null;
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

    private static double recovered(double patched, double target, double source) {
        return source == target ? Double.NaN : (patched - target) / (source - target);
    }

    private static double acc(List<GradedGeneration.Completion> cs) {
        return Accuracy.of(GradedGeneration.correct(cs)).rate();
    }

    private static double careful(List<GradedGeneration.Completion> cs) {
        return (double) cs.stream().filter(c -> c.mode() == CompletionMode.CAREFUL).count() / cs.size();
    }
}
