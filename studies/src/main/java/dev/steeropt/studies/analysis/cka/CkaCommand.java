package dev.steeropt.studies.analysis.cka;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.ForwardResult;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisModel;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.reads.ResidualReads;
import dev.steeropt.studies.cli.ModelInputs;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Grid;
import dev.steeropt.studies.plots.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze cka}: {@link Cka} between every chosen layer of model A and of model B (or within A alone)
 * over the same inputs: {@code cka.json}, a heatmap per kernel and pair, and the diagonal (A layer i vs B layer i).
 */
@Command(name = "cka", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Centred Kernel Alignment (Kornblith et al. 2019) between every layer of A and every layer of B"
                + " (and within each), over the same inputs; rows are every non-pad position (--read all) or each"
                + " row's last token (--read last). Works across widths."})
public final class CkaCommand implements Callable<Integer> {
    /** Default cap on rows (Gram matrices are rows × rows). */
    static final int MAX_ROWS = 2000;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    AnalysisInputs inputs;

    @Mixin
    AnalysisInputs.Versus versus;

    @Option(names = "--input-ids", paramLabel = "FILE.json", description = "{\"input_ids\": [[...]], \"attention_mask\":"
            + " [[...]]}, left-padded, fed to both models (instead of the dataset's prompts).")
    Path inputIds;

    @Option(names = "--read", paramLabel = "all|last", description = "Rows: every non-pad position (needs the same"
            + " token ids on both sides) or each input's last token (default: all with --input-ids, last with a dataset).")
    String read;

    @Option(names = "--kernel", defaultValue = "linear,rbf", split = ",", paramLabel = "linear,rbf",
            description = "Kernels (default: ${DEFAULT-VALUE}); rbf uses sigma^2 = the median squared pairwise distance.")
    List<String> kernels;

    @Option(names = "--debiased", description = "The debiased HSIC estimator (Song et al. 2012) instead of the biased one.")
    boolean debiased;

    @Option(names = "--max-rows", defaultValue = "" + MAX_ROWS, paramLabel = "N", description = "Rows kept at most,"
            + " drawn by --seed when there are more (default: ${DEFAULT-VALUE}; memory grows with the square).")
    int maxRows;

    /** The rows read: all non-pad positions, or each input's last. */
    enum Read { ALL, LAST }

    /** {@code cka.json}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String modelA, String modelB, String read, boolean debiased, int rowsTotal, int n,
            List<Integer> layersA, List<Integer> layersB, double[][] linear, double[][] rbf, Matrices withinA,
            Matrices withinB) {}

    /** One pair's matrices, a kernel's absent when not computed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Matrices(double[][] linear, double[][] rbf) {}

    @Override
    public Integer call() {
        Set<CkaKernel> ks = new LinkedHashSet<>();
        for (String k : kernels) {
            ks.add(CkaKernel.parse(k));
        }
        if (maxRows < 4) {
            throw UserFacingException.usage("Invalid --max-rows " + maxRows, "CKA needs at least 4 rows", "Pass --max-rows 4 or more.");
        }
        Read mode = read == null ? (inputIds != null ? Read.ALL : Read.LAST) : switch (read.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> Read.ALL;
            case "last" -> Read.LAST;
            default -> throw UserFacingException.usage("Unknown --read '" + read + "'", "known: all, last", "Pick one of them.");
        };
        try (AnalysisRun run = inputs.open("cka", versus.reference(), spec.commandLine().getOut(), spec.commandLine().getErr())) {
            AnalysisModel a = run.model();
            AnalysisModel b = run.versus();
            PromptBatch batchA;
            PromptBatch batchB;
            String source;
            if (inputIds != null) {
                batchA = ModelInputs.readIds(inputIds);
                batchB = batchA;
                source = inputIds.getFileName().toString();
            } else {
                List<Problem> items = run.data().evaluated();
                batchA = run.batch(items);
                batchB = b == null ? batchA : PromptBatch.leftPad(items.stream()
                        .map(p -> b.tokenizer().encode(run.variant().render(p), true)).toList(), b.padId());
                source = run.data().dataset().cliName() + " " + run.data().split().wireName() + ", n = " + items.size();
            }
            if (mode == Read.ALL && !batchA.equals(batchB)) {
                throw UserFacingException.usage("--read all needs the same token ids on both sides", a.name() + " and "
                        + b.name() + " tokenise the prompts differently, so their positions do not pair up",
                        "Use --read last (each input's last token), or models that share a tokenizer.");
            }
            int[] layers = run.layers();
            int[] layersB = b == null ? layers : clip(layers, b.numLayers());
            List<float[][]> repA = rows(run, a, batchA, layers, mode);
            List<float[][]> repB = b == null ? repA : rows(run, b, batchB, layersB, mode);
            int total = repA.get(0).length;
            List<Integer> keep = sample(total, maxRows, run.data().plan().seed());
            repA = subset(repA, keep);
            repB = b == null ? repA : subset(repB, keep);
            Result result = compute(a.name(), b == null ? null : b.name(), mode, total, keep.size(), layers, layersB, repA, repB,
                    ks, debiased, b != null);
            run.output().json("cka.json", result);
            plots(run, result, source, ks);
            summary(run, result, ks);
            run.output().done();
        }
        return 0;
    }

    static Result compute(String nameA, String nameB, Read mode, int total, int n, int[] layersA, int[] layersB,
            List<float[][]> repA, List<float[][]> repB, Set<CkaKernel> kernels, boolean debiased, boolean pair) {
        double[][][] ab = new double[2][][];
        double[][][] aa = new double[2][][];
        double[][][] bb = new double[2][][];
        for (CkaKernel k : kernels) {
            List<Gram> ga = repA.stream().map(x -> Gram.of(x, k)).toList();
            List<Gram> gb = pair ? repB.stream().map(x -> Gram.of(x, k)).toList() : ga;
            ab[k.ordinal()] = Cka.matrix(ga, gb, debiased);
            if (pair) {
                aa[k.ordinal()] = Cka.matrix(ga, ga, debiased);
                bb[k.ordinal()] = Cka.matrix(gb, gb, debiased);
            }
        }
        return new Result(nameA, nameB, mode.name().toLowerCase(java.util.Locale.ROOT), debiased, total, n,
                Arrays.stream(layersA).boxed().toList(), Arrays.stream(layersB).boxed().toList(), ab[0], ab[1],
                pair ? new Matrices(aa[0], aa[1]) : null, pair ? new Matrices(bb[0], bb[1]) : null);
    }

    private static int[] clip(int[] layers, int depth) {
        int[] out = Arrays.stream(layers).filter(l -> l < depth).toArray();
        if (out.length == 0) {
            throw UserFacingException.usage("None of --layers " + Arrays.toString(layers) + " exists in model B",
                    "it has " + depth + " layers", "Pass --layers within 0-" + (depth - 1) + ".");
        }
        return out;
    }

    /** Per layer {@code [rows][width]}, rows in input order. */
    private static List<float[][]> rows(AnalysisRun run, AnalysisModel m, PromptBatch batch, int[] layers, Read mode) {
        List<float[][]> out = new ArrayList<>();
        for (int ignored : layers) {
            out.add(null);
        }
        List<List<float[]>> acc = new ArrayList<>();
        for (int ignored : layers) {
            acc.add(new ArrayList<>());
        }
        int h = m.hiddenSize();
        for (int from = 0; from < batch.batchSize(); from += ResidualReads.BATCH) {
            int to = Math.min(batch.batchSize(), from + ResidualReads.BATCH);
            List<int[]> seqs = new ArrayList<>();
            for (int r = from; r < to; r++) {
                seqs.add(batch.unpadded(r));
            }
            PromptBatch part = PromptBatch.leftPad(seqs, 0);
            ForwardResult r;
            try {
                r = ResidualReads.forward(m.model(), part, layers, false);
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage("Cannot run " + m.name() + " on these inputs", e.getMessage(),
                        "Check the token ids against both models' vocabularies.");
            }
            int t = part.width();
            for (int li = 0; li < layers.length; li++) {
                float[] x = r.activation(HookPoint.residPost(layers[li]));
                for (int b = 0; b < part.batchSize(); b++) {
                    int start = mode == Read.ALL ? t - part.promptLength(b) : t - 1;
                    for (int c = start; c < t; c++) {
                        acc.get(li).add(Arrays.copyOfRange(x, (b * t + c) * h, (b * t + c + 1) * h));
                    }
                }
            }
        }
        for (int li = 0; li < layers.length; li++) {
            out.set(li, acc.get(li).toArray(new float[0][]));
        }
        return out;
    }

    private static List<Integer> sample(int total, int max, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            idx.add(i);
        }
        if (total <= max) {
            return idx;
        }
        Collections.shuffle(idx, new Random(seed));
        List<Integer> keep = new ArrayList<>(idx.subList(0, max));
        Collections.sort(keep);
        return keep;
    }

    private static List<float[][]> subset(List<float[][]> rep, List<Integer> keep) {
        List<float[][]> out = new ArrayList<>();
        for (float[][] x : rep) {
            float[][] s = new float[keep.size()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = x[keep.get(i)];
            }
            out.add(s);
        }
        return out;
    }

    private static void plots(AnalysisRun run, Result r, String source, Set<CkaKernel> ks) {
        String pair = r.modelB() == null ? r.modelA() : r.modelA() + " vs " + r.modelB();
        String what = " (" + source + ", " + r.read() + ", " + r.n() + " rows" + (r.debiased() ? ", debiased" : "") + ")";
        List<Series> diag = new ArrayList<>();
        for (CkaKernel k : ks) {
            double[][] m = k == CkaKernel.LINEAR ? r.linear() : r.rbf();
            String yA = r.modelA() + " layer";
            String xB = (r.modelB() == null ? r.modelA() : r.modelB()) + " layer";
            run.output().plot("cka_" + k.wireName() + ".png", Charts.heatmap(k.wireName() + " CKA, " + pair + what, xB, yA,
                    "CKA", grid(m, r.layersA(), r.layersB())));
            if (r.withinA() != null) {
                double[][] wa = k == CkaKernel.LINEAR ? r.withinA().linear() : r.withinA().rbf();
                double[][] wb = k == CkaKernel.LINEAR ? r.withinB().linear() : r.withinB().rbf();
                run.output().plot("cka_" + k.wireName() + "_within_a.png", Charts.heatmap(k.wireName() + " CKA within "
                        + r.modelA() + what, "layer", "layer", "CKA", grid(wa, r.layersA(), r.layersA())));
                run.output().plot("cka_" + k.wireName() + "_within_b.png", Charts.heatmap(k.wireName() + " CKA within "
                        + r.modelB() + what, "layer", "layer", "CKA", grid(wb, r.layersB(), r.layersB())));
            }
            double[][] d = diagonal(m, r.layersA(), r.layersB());
            diag.add(new Series(k.wireName(), d[0], d[1]));
        }
        JFreeChart c = Charts.line("CKA of layer i of " + r.modelA() + " with layer i of "
                + (r.modelB() == null ? r.modelA() : r.modelB()) + what, "layer", "CKA", diag);
        Charts.integerX(c);
        Charts.yRange(c, 0, 1.02);
        run.output().plot("cka_diagonal.png", c);
    }

    /** The (layer, CKA) pairs where A's and B's layer numbers match. */
    public static double[][] diagonal(double[][] m, List<Integer> la, List<Integer> lb) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < la.size(); i++) {
            int j = lb.indexOf(la.get(i));
            if (j >= 0) {
                pts.add(new double[] {la.get(i), m[i][j]});
            }
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    private static Grid grid(double[][] m, List<Integer> rows, List<Integer> cols) {
        return new Grid(cols.stream().map(String::valueOf).toList(), rows.stream().map(String::valueOf).toList(), m);
    }

    private static void summary(AnalysisRun run, Result r, Set<CkaKernel> ks) {
        run.output().line("CKA %s%s, read %s, %d rows (of %d)%s", r.modelA(), r.modelB() == null ? " within itself" : " vs " + r.modelB(),
                r.read(), r.n(), r.rowsTotal(), r.debiased() ? ", debiased HSIC" : "");
        for (CkaKernel k : ks) {
            double[][] d = diagonal(k == CkaKernel.LINEAR ? r.linear() : r.rbf(), r.layersA(), r.layersB());
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < d[0].length; i++) {
                sb.append(String.format(java.util.Locale.ROOT, " %d: %.3f", (int) d[0][i], d[1][i]));
            }
            run.output().line("  %s diagonal (layer i vs layer i):%s", k.wireName(), sb);
        }
    }
}
