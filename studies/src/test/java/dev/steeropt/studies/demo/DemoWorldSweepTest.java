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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A measurement on a built demo world (skipped unless {@code -Dsteeropt.world=DIR} names a {@code train-demo-model}
 * output): demo-hasty's greedy accuracy and hasty share unsteered, forced to start a worked chain (the gold answer's
 * first character appended to the prompt: the careful-mode ceiling), and with the {@code careful_vs_hasty} vector
 * (built from held-out pairs, read at the space after {@code ####}, or {@code -Dsteeropt.world.read=last|first}) added
 * at each layer × an α grid ({@code -Dsteeropt.world.alphas}, raw vector units) at {@code
 * -Dsteeropt.world.positions} (default {@code last_prompt_token}), on other held-out problems of difficulty 1 to
 * {@code -Dsteeropt.world.maxdiff}. Asserts that some layer and α lower the hasty share by 20 points and raise the
 * accuracy by 10: the planted effect. Figures in {@code studies/README.md}.
 */
class DemoWorldSweepTest {

    @Test
    void carefulVsHastyVectorMovesDemoHastyToCarefulAnswers() throws Exception {
        String dir = System.getProperty("steeropt.world");
        assumeTrue(dir != null, "set -Dsteeropt.world=DIR");
        Path model = Path.of(dir, System.getProperty("steeropt.world.model", DemoWorld.HASTY));
        int nPairs = Integer.getInteger("steeropt.world.pairs", 64);
        int nEval = Integer.getInteger("steeropt.world.items", 80);
        int maxDiff = Integer.getInteger("steeropt.world.maxdiff", 4);
        String read = System.getProperty("steeropt.world.read", "answer");
        SteerPositions positions = SteerPositions.parse(System.getProperty("steeropt.world.positions", "last_prompt_token"));
        Set<String> seen = new HashSet<>(DemoModelTraining.trainingQuestions(model));
        List<Problem> pairItems = new ArrayList<>();
        List<Problem> eval = new ArrayList<>();
        for (int d = 1; d <= maxDiff; d++) {
            List<Problem> p = SyntheticDataset.generate(1, "xp_pairs_d" + d, nPairs / maxDiff, d, seen);
            p.forEach(x -> seen.add(SyntheticDataset.key(x.question())));
            pairItems.addAll(p);
            List<Problem> e = SyntheticDataset.generate(1, "xp_eval_d" + d, nEval / maxDiff, d, seen);
            e.forEach(x -> seen.add(SyntheticDataset.key(x.question())));
            eval.addAll(e);
        }
        try (LoadedModel m = LoadedModel.load(model); Tokenizer tok = Tokenizer.load(model)) {
            double[] base = measure(m, tok, eval, HookSet.empty(), q -> "");
            System.out.printf(Locale.ROOT, "unsteered: acc %.1f%% hasty %.1f%%%n", 100 * base[0], 100 * base[1]);
            double[] forced = measure(m, tok, eval, HookSet.empty(), p -> p.goldSolution().substring(0, 1));
            System.out.printf(Locale.ROOT, "forced careful first char: acc %.1f%% hasty %.1f%%%n", 100 * forced[0], 100 * forced[1]);
            List<ContrastPair> pairs = new ArrayList<>();
            for (Problem p : pairItems) {
                String prompt = DemoData.prompt(p.question());
                String careful = p.goldSolution();
                String hasty = HastyShortcut.solution(p.question());
                if ("answer".equals(read)) {
                    careful = careful.substring(0, careful.indexOf("#### ") + 5);
                    hasty = hasty.substring(0, hasty.indexOf("#### ") + 5);
                }
                if ("first".equals(read)) {
                    careful = careful.substring(0, 1);
                    hasty = hasty.substring(0, 1);
                }
                pairs.add(new ContrastPair(tok.encode(prompt + careful, true), tok.encode(prompt + hasty, true)));
            }
            List<Integer> layers = new ArrayList<>();
            for (int l = 0; l < m.config().numLayers(); l++) {
                layers.add(l);
            }
            CaaVectors v = CaaVectors.build(m, pairs, ReadPosition.lastToken(), layers, 16);
            String[] alphas = System.getProperty("steeropt.world.alphas", "-2,-1,1,2").split(",");
            double bestAcc = base[0];
            double bestHasty = base[1];
            for (int l : layers) {
                for (String a : alphas) {
                    ActivationAddition add = ActivationAddition.of(l, v.vectors().get(l), Float.parseFloat(a), positions);
                    double[] r = measure(m, tok, eval, add.hooks(), q -> "");
                    System.out.printf(Locale.ROOT, "layer %d |v|/|h| %.2f alpha %s: acc %.1f%% hasty %.1f%% careful-acc %.1f%%%n", l,
                            l2(v.vectors().get(l)) / v.meanResidualNorms().get(l), a, 100 * r[0], 100 * r[1], 100 * r[2]);
                    bestAcc = Math.max(bestAcc, r[0]);
                    bestHasty = Math.min(bestHasty, r[1]);
                }
            }
            assertTrue(base[1] - bestHasty >= 0.2, "hasty share " + base[1] + " -> best " + bestHasty);
            assertTrue(bestAcc - base[0] >= 0.1, "accuracy " + base[0] + " -> best " + bestAcc);
        }
    }

    /** {accuracy, hasty share, accuracy of careful answers}, through {@link DemoEvaluation#run}. */
    private static double[] measure(LoadedModel m, Tokenizer tok, List<Problem> eval, HookSet hooks,
            Function<Problem, String> forced) {
        List<DemoEvaluation.Outcome> out = DemoEvaluation.run(m, tok, eval, 30, 200, hooks, forced);
        if (Boolean.getBoolean("steeropt.world.show")) {
            out.subList(0, 2).forEach(o -> System.out.println("   " + o.completion().replace("\n", " | ")));
        }
        List<DemoEvaluation.Modes> modes = DemoEvaluation.modesByDifficulty(out);
        DemoEvaluation.Modes all = modes.get(modes.size() - 1);
        return new double[] {DemoEvaluation.overall(out).rate(), all.share(CompletionMode.HASTY),
                all.accuracy(CompletionMode.CAREFUL)};
    }

    private static double l2(float[] x) {
        double s = 0;
        for (float f : x) {
            s += f * f;
        }
        return Math.sqrt(s);
    }
}
