package dev.steeropt.studies.analysis.lens;

import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.reads.ResidualReads;
import dev.steeropt.studies.cli.ModelInputs;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Grid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze logit-lens}: {@link LogitLens} over the evaluated split's prompts, an ids file or one text;
 * writes {@code logit_lens.json}, a heatmap of the gold token's probability (or, without a gold token, the top-1
 * probability) per layer × position of the first row, and {@code logit_lens_top1.txt} with every layer's decoded
 * top-1 tokens of each row.
 */
@Command(name = "logit-lens", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Every layer's residual stream (blocks.{i}.hook_resid_post) through the model's final norm and"
                + " unembedding, at every position: top-k tokens, the gold token's rank and probability, KL to the"
                + " model's own distribution. The last layer equals the model's logits."})
public final class LogitLensCommand implements Callable<Integer> {
    /** Positions of the first row drawn in the heatmap (the last ones). */
    static final int HEATMAP_POSITIONS = 24;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    AnalysisInputs inputs;

    @Option(names = "--input-ids", paramLabel = "FILE.json", description = "{\"input_ids\": [[...]], \"attention_mask\":"
            + " [[...]]}, left-padded (instead of the dataset's prompts).")
    Path inputIds;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "One literal prompt text, encoded with the model's"
            + " tokenizer as generate does (instead of the dataset's prompts; as in generate).")
    String text;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Tokens listed per cell (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--gold", defaultValue = "solution", paramLabel = "solution|answer", description = "With dataset"
            + " prompts, the gold token is the first token of the reference solution (what a correct completion"
            + " writes next) or of the final answer (default: ${DEFAULT-VALUE}).")
    String gold;

    @Override
    public Integer call() {
        if (inputIds != null && text != null) {
            throw UserFacingException.usage("--input-ids and --prompt both given", "the lens reads one input", "Pass one of them.");
        }
        if (topK < 1) {
            throw UserFacingException.usage("Invalid --top-k " + topK, "a cell lists at least one token", "Pass --top-k 1 or more.");
        }
        GoldToken target = GoldToken.parse(gold);
        try (AnalysisRun run = inputs.open("logit-lens", null, spec.commandLine().getOut(), spec.commandLine().getErr())) {
            Tokenizer tok = run.model().tokenizer();
            PromptBatch batch;
            int[] goldIds;
            String source;
            if (inputIds != null) {
                batch = ModelInputs.readIds(inputIds);
                goldIds = none(batch.batchSize());
                source = inputIds.getFileName().toString();
            } else if (text != null) {
                batch = PromptBatch.single(tok.encode(text, true));
                goldIds = none(1);
                source = "--prompt";
            } else {
                List<Problem> items = run.data().evaluated();
                batch = run.batch(items);
                goldIds = new int[items.size()];
                for (int i = 0; i < items.size(); i++) {
                    Problem p = items.get(i);
                    String ref = target == GoldToken.SOLUTION && !p.goldSolution().isBlank() ? p.goldSolution() : p.goldAnswer();
                    int[] ids = tok.encode(ref, false);
                    goldIds[i] = ids.length == 0 ? -1 : ids[0];
                }
                source = run.data().dataset().cliName() + " " + run.data().split().wireName() + ", n = " + items.size();
            }
            int[] layers = run.layers();
            int n = run.model().numLayers();
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            ForwardResult r;
            try {
                r = ResidualReads.forward(run.model().model(), batch, all, true);
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage("Cannot run the model on this input", e.getMessage(), "Check the token ids and lengths.");
            }
            double gap = LogitLens.lastLayerGap(run.model().model(), batch, r);
            LogitLens.Result result = LogitLens.of(run.model().model(), batch, r, layers, goldIds, topK);
            run.output().json("logit_lens.json", result);
            boolean haveGold = goldIds[0] >= 0;
            run.output().plot("logit_lens.png", Charts.heatmap((haveGold ? "Gold token probability" : "Top-1 probability")
                    + " through the logit lens (" + run.model().name() + ", " + source + ", row 0)", "position (token)",
                    "layer", haveGold ? "P(gold)" : "P(top-1)", heatmap(result.rows().get(0), layers, tok, batch, haveGold)));
            run.output().json("logit_lens_summary.json", summary(result, layers, gap));
            java.nio.file.Files.writeString(run.output().wrote("logit_lens_top1.txt"), top1Text(result, layers, tok));
            printSummary(run, result, layers, gap, haveGold);
            run.output().done();
        } catch (java.io.IOException e) {
            throw UserFacingException.runtime("Cannot write logit_lens_top1.txt", e.getMessage(), "Check --out is writable.", e);
        }
        return 0;
    }

    private static int[] none(int n) {
        int[] g = new int[n];
        java.util.Arrays.fill(g, -1);
        return g;
    }

    /**
     * Per layer, over rows at each row's last position: mean gold probability, mean gold rank, mean KL to final; and
     * the lens-vs-logits gap of the last block.
     */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Summary(List<Integer> layers, List<Double> lastPositionGoldProb, List<Double> lastPositionGoldRank,
            List<Double> lastPositionKlToFinal, double lastLayerMaxAbsLogitGap) {}

    static Summary summary(LogitLens.Result result, int[] layers, double gap) {
        List<Double> prob = new ArrayList<>();
        List<Double> rank = new ArrayList<>();
        List<Double> kl = new ArrayList<>();
        for (int li = 0; li < layers.length; li++) {
            double p = 0;
            double k = 0;
            double rk = 0;
            int withGold = 0;
            for (LogitLens.Row row : result.rows()) {
                LogitLens.Position cell = row.positions().get(row.positions().size() - layers.length + li);
                k += cell.klToFinal();
                if (cell.goldProb() != null) {
                    p += cell.goldProb();
                    rk += cell.goldRank();
                    withGold++;
                }
            }
            prob.add(withGold == 0 ? null : p / withGold);
            rank.add(withGold == 0 ? null : rk / withGold);
            kl.add(k / result.rows().size());
        }
        return new Summary(result.layers(), prob, rank, kl, gap);
    }

    private static Grid heatmap(LogitLens.Row row, int[] layers, Tokenizer tok, PromptBatch batch, boolean gold) {
        int positions = row.positions().size() / layers.length;
        int from = Math.max(0, positions - HEATMAP_POSITIONS);
        List<String> cols = new ArrayList<>();
        double[][] v = new double[layers.length][positions - from];
        for (int c = from; c < positions; c++) {
            LogitLens.Position first = row.positions().get(c * layers.length);
            cols.add(first.position() + " " + visible(tok.decode(new int[] {batch.id(0, first.position())}, false)));
            for (int li = 0; li < layers.length; li++) {
                LogitLens.Position cell = row.positions().get(c * layers.length + li);
                v[li][c - from] = gold ? cell.goldProb() : cell.top().get(0).get(1).doubleValue();
            }
        }
        List<String> rows = new ArrayList<>();
        for (int l : layers) {
            rows.add(Integer.toString(l));
        }
        return new Grid(cols, rows, v);
    }

    static String top1Text(LogitLens.Result result, int[] layers, Tokenizer tok) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < result.rows().size(); r++) {
            LogitLens.Row row = result.rows().get(r);
            sb.append("row ").append(r).append('\n');
            for (int li = 0; li < layers.length; li++) {
                StringBuilder line = new StringBuilder();
                for (int c = li; c < row.positions().size(); c += layers.length) {
                    line.append(visible(tok.decode(new int[] {row.positions().get(c).top().get(0).get(0).intValue()}, false)));
                }
                sb.append(String.format(java.util.Locale.ROOT, "  layer %2d: %s%n", layers[li], line));
            }
        }
        return sb.toString();
    }

    private static String visible(String s) {
        return s.replace("\n", "⏎").replace(" ", "·");
    }

    private static void printSummary(AnalysisRun run, LogitLens.Result result, int[] layers, double gap, boolean gold) {
        Summary s = summary(result, layers, gap);
        run.output().line("Logit lens of %s: %d rows, layers %s; last block's lens vs the model's logits: max |diff| %.2e",
                run.model().name(), result.rows().size(), s.layers(), gap);
        run.output().line("  at each row's last position:");
        run.output().line("  layer  %s  KL to final (nats)", gold ? "P(gold)  gold rank" : "");
        for (int li = 0; li < layers.length; li++) {
            if (gold) {
                run.output().line("  %5d  %7.3f  %9.1f  %.3f", layers[li], s.lastPositionGoldProb().get(li),
                        s.lastPositionGoldRank().get(li), s.lastPositionKlToFinal().get(li));
            } else {
                run.output().line("  %5d  %.3f", layers[li], s.lastPositionKlToFinal().get(li));
            }
        }
    }
}
