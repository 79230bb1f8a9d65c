package dev.steeropt.studies.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.steering.caa.CaaVectors;
import dev.steeropt.core.steering.caa.ContrastPair;
import dev.steeropt.core.steering.caa.ReadPosition;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.synthetic.HastyShortcut;
import dev.steeropt.eval.synthetic.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A measurement on a built demo world (skipped unless {@code -Dsteeropt.world=DIR} names a {@code train-demo-model}
 * output): the careful-minus-hasty CAA direction of {@code demo-hasty}, read from contrast pairs (prompt + worked
 * chain vs prompt + hasty shortcut) on problems none of the models trained on, added at each layer with a small α
 * grid; greedy accuracy and hasty share on other held-out problems. Asserts that some layer and α lower the hasty share
 * by at least 20 points and raise the accuracy by at least 10.
 */
class DemoWorldSteeringSweepTest {

    @Test
    void carefulMinusHastyMovesDemoHastyTowardCarefulAnswers() throws Exception {
        String dir = System.getProperty("steeropt.world");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir, DemoWorld.HASTY)), "set -Dsteeropt.world=DIR");
        Path model = Path.of(dir, DemoWorld.HASTY);
        int nPairs = Integer.getInteger("steeropt.world.pairs", 64);
        int nEval = Integer.getInteger("steeropt.world.items", 100);
        String read = System.getProperty("steeropt.world.read", "last");
        int window = Integer.getInteger("steeropt.world.window", 0);
        Set<String> seen = new HashSet<>(DemoModelTraining.trainingQuestions(model));
        List<Problem> pairItems = SyntheticDataset.generate(1, "steer_pairs", nPairs, 0, seen);
        pairItems.forEach(p -> seen.add(SyntheticDataset.key(p.question())));
        List<Problem> eval = SyntheticDataset.generate(1, "steer_eval", nEval, 0, seen);
        try (LoadedModel m = LoadedModel.load(model); Tokenizer tok = Tokenizer.load(model)) {
            List<ContrastPair> pairs = new ArrayList<>();
            for (Problem p : pairItems) {
                String prompt = DemoData.prompt(p.question()) + " ";
                String careful = p.goldSolution();
                String hasty = HastyShortcut.solution(p.question());
                if ("first".equals(read)) { // the residual at the first answer character, where the mode shows
                    careful = careful.substring(0, 1);
                    hasty = hasty.substring(0, 1);
                }
                if ("answer".equals(read)) { // the space after "####": the same token in both modes, so only the
                    // context (the mode and its chain) differs
                    careful = careful.substring(0, careful.indexOf("#### ") + 5);
                    hasty = hasty.substring(0, hasty.indexOf("#### ") + 5);
                }
                int[] pos = tok.encode(prompt + careful, true);
                int[] neg = tok.encode(prompt + hasty, true);
                if (Math.max(pos.length, neg.length) <= m.transformer().maxPositions()) {
                    pairs.add(new ContrastPair(pos, neg));
                }
            }
            List<Integer> layers = new ArrayList<>();
            for (int l = 0; l < m.config().numLayers(); l++) {
                layers.add(l);
            }
            CaaVectors v = CaaVectors.build(m, pairs, ReadPosition.lastToken(), layers, 16);
            double[] base = measure(m, tok, eval, HookSet.empty());
            System.out.printf(Locale.ROOT, "read=%s pairs=%d items=%d unsteered: accuracy %.1f%% hasty %.1f%%%n", read,
                    pairs.size(), eval.size(), 100 * base[0], 100 * base[1]);
            double bestAcc = base[0];
            double bestHasty = base[1];
            String[] alphas = System.getProperty("steeropt.world.alphas", "0.5,1,2,4").split(",");
            for (int l : layers) {
                double norm = l2(v.vectors().get(l));
                for (String a : alphas) {
                    float alpha = Float.parseFloat(a);
                    ActivationAddition add = ActivationAddition.of(l, v.vectors().get(l), alpha,
                            SteerPositions.FROM_LAST_PROMPT_TOKEN);
                    double[] r = measure(m, tok, eval, window > 0 ? HookSet.of(add.point(), early(add, window))
                            : add.hooks());
                    System.out.printf(Locale.ROOT, "layer %d |v| %.2f (mean |h| %.2f) alpha %s: accuracy %.1f%% hasty"
                            + " %.1f%%%n", l, norm, v.meanResidualNorms().get(l), a, 100 * r[0], 100 * r[1]);
                    bestAcc = Math.max(bestAcc, r[0]);
                    bestHasty = Math.min(bestHasty, r[1]);
                }
            }
            assertTrue(base[1] - bestHasty >= 0.2, "hasty share " + base[1] + " -> best " + bestHasty);
            assertTrue(bestAcc - base[0] >= 0.1, "accuracy " + base[0] + " -> best " + bestAcc);
        }
    }

    /**
     * The addition only at the last prompt token and the {@code window} positions after it (where the mode is chosen),
     * not over the whole answer: to tell a direction that picks the mode from one that also moves the digits.
     */
    private static dev.steeropt.core.hooks.Hook early(ActivationAddition add, int window) {
        return (h, ctx) -> {
            boolean any = false;
            for (int b = 0; b < ctx.batchSize() && !any; b++) {
                for (int t = 0; t < ctx.seqLen() && !any; t++) {
                    int pos = ctx.positionId(b, t);
                    any = !ctx.isPad(b, t) && pos >= ctx.promptLength(b) - 1 && pos < ctx.promptLength(b) + window;
                }
            }
            return any ? add.apply(h, ctx) : h;
        };
    }

    /** {accuracy, hasty share}. */
    private static double[] measure(LoadedModel m, Tokenizer tok, List<Problem> eval, HookSet hooks) {
        List<DemoEvaluation.Outcome> out = DemoEvaluation.run(m, tok, eval, 25, 300, hooks);
        if (Boolean.getBoolean("steeropt.world.show")) {
            for (DemoEvaluation.Outcome o : out.subList(0, 3)) {
                System.out.println("  [" + o.mode().label() + (o.correct() ? ", right" : ", wrong") + "] "
                        + o.completion().replace("\n", " | "));
            }
        }
        DemoEvaluation.Modes all = DemoEvaluation.modesByDifficulty(out).get(DemoEvaluation.modesByDifficulty(out).size() - 1);
        return new double[] {DemoEvaluation.overall(out).rate(), all.share(CompletionMode.HASTY)};
    }

    private static double l2(float[] x) {
        double s = 0;
        for (float f : x) {
            s += f * f;
        }
        return Math.sqrt(s);
    }
}
