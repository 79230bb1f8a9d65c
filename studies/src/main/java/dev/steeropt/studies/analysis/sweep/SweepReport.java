package dev.steeropt.studies.analysis.sweep;

import dev.steeropt.eval.stats.Accuracy;
import dev.steeropt.eval.stats.ExactMcNemar;
import dev.steeropt.eval.stats.McNemarResult;
import dev.steeropt.eval.stats.MinimumDetectableEffect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code sweep.json}: every cell's statistics against the baseline (strength 0) on the same items, the four
 * hypotheses of the inverse-direction test as verdicts with their statistics, and small-N warnings.
 *
 * <ul>
 *   <li>H1: the most negative strength beats the baseline: per layer the exact McNemar p; supported when the best
 *       layer's gain is positive with p below 0.05 / layers (Bonferroni over the layers).</li>
 *   <li>H2: the layer that gains most (its best strength), and whether it lies in the middle third of the layers
 *       ({@code [L/3, 2L/3)}).</li>
 *   <li>H3: reasoning steps rise with |strength|: per item, steps at the most negative strength of the H2 layer
 *       against the baseline, an exact sign test (McNemar on items with more vs fewer steps); and the Spearman
 *       correlation of mean steps with |strength| at that layer.</li>
 *   <li>H4: dose-response is monotonic: per layer, the Spearman correlation of accuracy with |strength| (exact
 *       permutation p for up to 8 strengths); monotonic when accuracy never drops as |strength| grows.</li>
 * </ul>
 */
public record SweepReport(String study, String model, String directions, String dataset, String split, int n,
        List<Double> strengths, List<Integer> layers, Cell baseline, List<Cell> cells, List<Hypothesis> hypotheses,
        List<String> warnings) {

    /** One cell's statistics. */
    public record Cell(int layer, double strength, double accuracy, long correct, int n, double wilson_low,
            double wilson_high, double gain, Integer mcnemar_b, Integer mcnemar_c, Double mcnemar_p,
            double mean_tokens, double mean_steps, double mean_calculations, double mean_backtracks,
            double mean_verifications, double mean_think_chars, double hasty_share) {}

    /** One hypothesis' verdict. */
    public record Hypothesis(String id, String statement, String verdict, String statistics) {}

    static SweepReport of(String study, String model, String directions, String dataset, String split,
            List<Double> strengths, List<Integer> layers, CellResult base, List<CellResult> results) {
        Cell b = cell(base, base);
        List<Cell> cells = new ArrayList<>();
        for (CellResult r : results) {
            cells.add(cell(r, base));
        }
        double most = strengths.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        List<String> warnings = new ArrayList<>();
        List<Hypothesis> hyps = new ArrayList<>();
        // H1
        Cell bestAtMost = cells.stream().filter(c -> c.strength() == most).max(Comparator.comparingDouble(Cell::gain))
                .orElse(null);
        if (bestAtMost == null || most >= 0) {
            hyps.add(new Hypothesis("H1", "the most negative strength beats the baseline", "not tested",
                    "no negative strength in the grid"));
        } else {
            double threshold = 0.05 / layers.size();
            boolean yes = bestAtMost.gain() > 0 && bestAtMost.mcnemar_p() < threshold;
            StringBuilder per = new StringBuilder();
            for (Cell c : cells) {
                if (c.strength() == most) {
                    per.append(String.format(java.util.Locale.ROOT, "; layer %d: %+.3f, p=%.3g", c.layer(), c.gain(),
                            c.mcnemar_p()));
                }
            }
            hyps.add(new Hypothesis("H1", "strength " + most + " beats the baseline", yes ? "supported" : "not supported",
                    String.format(java.util.Locale.ROOT, "best layer %d: gain %+.3f (b=%d, c=%d), exact McNemar p=%.3g"
                            + " against %.3g (0.05 / %d layers)%s", bestAtMost.layer(), bestAtMost.gain(),
                            bestAtMost.mcnemar_b(), bestAtMost.mcnemar_c(), bestAtMost.mcnemar_p(), threshold,
                            layers.size(), per)));
        }
        // H2
        Cell best = cells.stream().filter(c -> c.strength() != 0).max(Comparator.comparingDouble(Cell::gain)).orElse(null);
        int nLayers = layers.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        if (best != null) {
            List<Integer> tied = cells.stream().filter(c -> c.strength() != 0 && c.gain() == best.gain())
                    .map(Cell::layer).distinct().toList();
            boolean middle = tied.stream().allMatch(l -> l * 3 >= nLayers && l * 3 < 2 * nLayers);
            hyps.add(new Hypothesis("H2", "the middle third of the layers gains most", middle ? "supported"
                    : "not supported", String.format(java.util.Locale.ROOT, "largest gain %+.3f at layer %d, strength"
                            + " %s (p=%.3g)%s; middle third of %d layers: [%d, %d)", best.gain(), best.layer(),
                            best.strength(), best.mcnemar_p(), tied.size() > 1 ? ", tied with layers " + tied : "",
                            nLayers, (nLayers + 2) / 3, (2 * nLayers + 2) / 3)));
        }
        // H3
        if (best != null && most < 0) {
            CellResult atMost = results.stream().filter(r -> r.layer() == best.layer() && r.strength() == most)
                    .findFirst().orElseThrow();
            int more = 0;
            int fewer = 0;
            for (int i = 0; i < base.n(); i++) {
                int d = atMost.counters().get(i).steps() - base.counters().get(i).steps();
                more += d > 0 ? 1 : 0;
                fewer += d < 0 ? 1 : 0;
            }
            McNemarResult sign = ExactMcNemar.fromDiscordant(fewer, more);
            List<CellResult> layerCells = new ArrayList<>(results.stream().filter(r -> r.layer() == best.layer()).toList());
            layerCells.add(base);
            double[] abs = layerCells.stream().mapToDouble(r -> Math.abs(r.strength())).toArray();
            double[] steps = layerCells.stream().mapToDouble(CellResult::meanSteps).toArray();
            double rho = Spearman.rho(abs, steps);
            boolean yes = more > fewer && sign.pValue() < 0.05;
            hyps.add(new Hypothesis("H3", "reasoning steps rise with |strength|", yes ? "supported" : "not supported",
                    String.format(java.util.Locale.ROOT, "layer %d, strength %s vs 0: %d items with more steps, %d with"
                            + " fewer, exact sign test p=%.3g; mean steps %.2f -> %.2f; Spearman rho(|strength|, mean"
                            + " steps) = %.3f", best.layer(), most, more, fewer, sign.pValue(), base.meanSteps(),
                            atMost.meanSteps(), rho)));
        }
        // H4
        StringBuilder h4 = new StringBuilder();
        int monotonic = 0;
        for (int l : layers) {
            List<CellResult> lc = new ArrayList<>(results.stream().filter(r -> r.layer() == l).toList());
            lc.add(base);
            lc.sort(Comparator.comparingDouble(r -> Math.abs(r.strength())));
            double[] abs = lc.stream().mapToDouble(r -> Math.abs(r.strength())).toArray();
            double[] acc = lc.stream().mapToDouble(r -> (double) r.nCorrect() / r.n()).toArray();
            boolean mono = true;
            for (int i = 1; i < acc.length; i++) {
                mono &= acc[i] >= acc[i - 1];
            }
            monotonic += mono ? 1 : 0;
            h4.append(String.format(java.util.Locale.ROOT, "%slayer %d: rho=%.3f, p=%.3g%s", h4.length() == 0 ? "" : "; ",
                    l, Spearman.rho(abs, acc), Spearman.exactP(abs, acc), mono ? ", monotonic" : ""));
        }
        hyps.add(new Hypothesis("H4", "dose-response is monotonic in |strength|", monotonic == layers.size()
                ? "supported" : monotonic == 0 ? "not supported" : "partly (" + monotonic + " of " + layers.size()
                + " layers)", h4.toString()));
        // small-N warnings
        int n = base.n();
        double psi = Math.max(0.05, cells.stream().filter(c -> c.mcnemar_b() != null)
                .mapToDouble(c -> (double) (c.mcnemar_b() + c.mcnemar_c()) / n).max().orElse(0.1));
        OptionalDouble mde = MinimumDetectableEffect.paired(n, psi);
        if (n < 50) {
            warnings.add(String.format(java.util.Locale.ROOT, "only %d items: %s", n, mde.isPresent()
                    ? String.format(java.util.Locale.ROOT, "the minimum detectable effect (80%% power, alpha 0.05,"
                            + " discordant share %.2f) is %+.3f; smaller gains cannot be told from noise", psi,
                            mde.getAsDouble())
                    : "too few items for any effect to be detectable with an exact McNemar test"));
        }
        return new SweepReport(study, model, directions, dataset, split, n, strengths, layers, b, cells, hyps, warnings);
    }

    private static Cell cell(CellResult r, CellResult base) {
        Accuracy a = Accuracy.of(r.correct());
        McNemarResult m = r == base ? null : ExactMcNemar.test(base.correct(), r.correct());
        double gain = a.rate() - Accuracy.of(base.correct()).rate();
        return new Cell(r.layer(), r.strength(), a.rate(), a.correct(), r.n(), a.ci95().lower(), a.ci95().upper(), gain,
                m == null ? null : m.b(), m == null ? null : m.c(), m == null ? null : m.pValue(), r.meanTokens(),
                r.meanSteps(), mean(r, c -> c.calculations()), mean(r, c -> c.markers().backtracks()),
                mean(r, c -> c.verifications()), mean(r, c -> c.thinkChars()), r.hastyShare());
    }

    private static double mean(CellResult r, java.util.function.ToIntFunction<ReasoningCounters> f) {
        return r.counters().stream().mapToInt(f).average().orElse(0);
    }

    /** Spearman rank correlation (average ranks for ties) and its exact permutation p-value. */
    static final class Spearman {
        private Spearman() {}

        static double rho(double[] x, double[] y) {
            return pearson(ranks(x), ranks(y));
        }

        /** Two-sided p over every permutation of y (n ≤ 8), else NaN. */
        static double exactP(double[] x, double[] y) {
            if (x.length > 8 || x.length < 3) {
                return Double.NaN;
            }
            double observed = Math.abs(rho(x, y));
            if (Double.isNaN(observed)) {
                return 1.0;
            }
            int[] idx = new int[y.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            long[] counts = new long[2];
            permute(idx, 0, x, y, observed, counts);
            return (double) counts[0] / counts[1];
        }

        private static void permute(int[] idx, int k, double[] x, double[] y, double observed, long[] counts) {
            if (k == idx.length) {
                double[] py = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    py[i] = y[idx[i]];
                }
                double r = Math.abs(rho(x, py));
                counts[0] += (Double.isNaN(r) ? 0 : r) >= observed - 1e-12 ? 1 : 0;
                counts[1]++;
                return;
            }
            for (int i = k; i < idx.length; i++) {
                int t = idx[k];
                idx[k] = idx[i];
                idx[i] = t;
                permute(idx, k + 1, x, y, observed, counts);
                idx[i] = idx[k];
                idx[k] = t;
            }
        }

        static double[] ranks(double[] v) {
            Integer[] order = new Integer[v.length];
            for (int i = 0; i < v.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
            double[] r = new double[v.length];
            int i = 0;
            while (i < v.length) {
                int j = i;
                while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                    j++;
                }
                for (int k = i; k <= j; k++) {
                    r[order[k]] = (i + j) / 2.0 + 1;
                }
                i = j + 1;
            }
            return r;
        }

        private static double pearson(double[] a, double[] b) {
            double ma = Arrays.stream(a).average().orElse(0);
            double mb = Arrays.stream(b).average().orElse(0);
            double sab = 0;
            double saa = 0;
            double sbb = 0;
            for (int i = 0; i < a.length; i++) {
                sab += (a[i] - ma) * (b[i] - mb);
                saa += (a[i] - ma) * (a[i] - ma);
                sbb += (b[i] - mb) * (b[i] - mb);
            }
            return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
        }
    }
}
