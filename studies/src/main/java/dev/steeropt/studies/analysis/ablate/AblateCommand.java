package dev.steeropt.studies.analysis.ablate;

import dev.steeropt.core.hooks.Ablation;
import dev.steeropt.core.hooks.ActivationCapture;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.InterventionTargets;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.CompletionMode;
import dev.steeropt.eval.stats.Accuracy;
import dev.steeropt.eval.stats.ExactMcNemar;
import dev.steeropt.eval.stats.McNemarResult;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.GradedGeneration;
import dev.steeropt.studies.cli.VerbosityMixin;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.spec.WireName;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze ablate}: which layers a behaviour needs. Each layer of {@code --layers} in turn (or all of
 * them at once with {@code --jointly}) has its component's output replaced, at every position of prompt and
 * completion, by zero or by its mean over the train prompts' tokens; the items are generated greedily and graded, and
 * each ablation is compared with the intact model on the same items (accuracy with Wilson CI, exact McNemar, and the
 * demo world's answer modes, with an exact McNemar test of the hasty mode against the intact model). {@code block} ablates attention and MLP output together (the block then passes its
 * input through). Writes {@value #JSON} and {@value #PLOT}.
 */
@Command(name = "ablate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Layer ablation: accuracy with each layer's block, attention or MLP output zeroed or"
                + " mean-replaced, against the intact model on the same items.")
public final class AblateCommand implements Callable<Integer> {
    /** The report. */
    public static final String JSON = "ablate.json";
    /** Accuracy drop per ablated layer. */
    public static final String PLOT = "ablate_drop.png";

    /** {@code --component}. */
    public enum Component implements WireName {
        /** Attention and MLP output. */
        BLOCK,
        /** Attention output. */
        ATTN,
        /** MLP output. */
        MLP;

        List<HookPoint> points(int layer) {
            return switch (this) {
                case BLOCK -> List.of(HookPoint.attnOut(layer), HookPoint.mlpOut(layer));
                case ATTN -> List.of(HookPoint.attnOut(layer));
                case MLP -> List.of(HookPoint.mlpOut(layer));
            };
        }
    }

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    AnalysisInputs inputs;
    @Option(names = "--component", paramLabel = "block|attn|mlp", defaultValue = "block", converter = ComponentConverter.class,
            description = "What is ablated (default: ${DEFAULT-VALUE}).")
    Component component;
    @Option(names = "--ablation", paramLabel = "zero|mean", defaultValue = "mean", converter = ModeConverter.class,
            description = "Replace by zero, or by the mean over the train prompts' tokens (default: ${DEFAULT-VALUE}).")
    Ablation.Mode mode;
    @Option(names = "--jointly", description = "Ablate every --layers layer at once, not one at a time.")
    boolean jointly;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One ablation's row of {@value #JSON}. */
    public record Row(List<Integer> layers, double accuracy, long correct, int n, double wilson_low, double wilson_high,
            double drop, int mcnemar_b, int mcnemar_c, double mcnemar_p, double careful_share, double hasty_share,
            double hasty_mcnemar_p) {}

    /** {@value #JSON}. */
    public record Report(String model, String component, String ablation, boolean jointly, String dataset, String split,
            int n, int n_reference, Row intact, List<Row> ablated) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AnalysisRun run = inputs.open("ablate", null, out, spec.commandLine().getErr())) {
            int[] layers = run.layers();
            Map<HookPoint, float[]> means = mode == Ablation.Mode.MEAN ? means(run, layers) : Map.of();
            List<Problem> items = run.data().evaluated();
            run.err().println("Generating " + items.size() + " items intact ...");
            List<GradedGeneration.Completion> intact = GradedGeneration.run(run, run.model().model(), items,
                    start -> HookSet.empty());
            List<List<Integer>> sets = new ArrayList<>();
            if (jointly) {
                sets.add(Arrays.stream(layers).boxed().toList());
            } else {
                Arrays.stream(layers).forEach(l -> sets.add(List.of(l)));
            }
            List<Row> rows = new ArrayList<>();
            for (List<Integer> set : sets) {
                HookSet hooks = HookSet.empty();
                for (int l : set) {
                    for (HookPoint p : component.points(l)) {
                        hooks = hooks.with(mode == Ablation.Mode.ZERO ? Ablation.zero(p, InterventionTargets.EVERYWHERE).hooks()
                                : Ablation.mean(p, means.get(p), InterventionTargets.EVERYWHERE).hooks());
                    }
                }
                HookSet h = hooks;
                run.err().println("Generating " + items.size() + " items with layers " + set + " ablated ...");
                rows.add(row(set, GradedGeneration.run(run, run.model().model(), items, start -> h), intact));
            }
            Row base = row(List.of(), intact, intact);
            Report report = new Report(run.model().name(), component.wireName(), mode.name().toLowerCase(java.util.Locale.ROOT),
                    jointly, run.data().dataset().cliName(), run.data().split().wireName(), items.size(),
                    mode == Ablation.Mode.MEAN ? run.data().train().size() : 0, base, rows);
            AnalysisOutput o = run.output();
            o.json(JSON, report);
            o.plot(PLOT, plot(report));
            summary(o, report);
            return 0;
        }
    }

    /** Each ablated point's mean over every real token of the train prompts. */
    private Map<HookPoint, float[]> means(AnalysisRun run, int[] layers) {
        List<HookPoint> points = new ArrayList<>();
        for (int l : layers) {
            points.addAll(component.points(l));
        }
        int d = run.model().hiddenSize();
        Map<HookPoint, double[]> sums = new LinkedHashMap<>();
        points.forEach(p -> sums.put(p, new double[d]));
        long[] count = new long[1];
        List<Problem> train = run.data().train();
        for (int start = 0; start < train.size(); start += GradedGeneration.MAX_BATCH) {
            List<Problem> part = train.subList(start, Math.min(train.size(), start + GradedGeneration.MAX_BATCH));
            PromptBatch batch = run.batch(part);
            ActivationCapture cap = ActivationCapture.of(ActivationCapture.Select.PROMPT, points);
            run.model().model().forward(batch, List.of(), dev.steeropt.core.model.layers.Transformer.Logits.LAST,
                    cap.hooks());
            for (HookPoint p : points) {
                List<ActivationCapture.Captured> cs = cap.get(p);
                for (ActivationCapture.Captured c : cs) {
                    double[] s = sums.get(p);
                    for (int i = 0; i < d; i++) {
                        s[i] += c.values()[i];
                    }
                }
                if (p.equals(points.get(0))) {
                    count[0] += cs.size();
                }
            }
        }
        Map<HookPoint, float[]> out = new LinkedHashMap<>();
        sums.forEach((p, s) -> {
            float[] m = new float[d];
            for (int i = 0; i < d; i++) {
                m[i] = (float) (s[i] / count[0]);
            }
            out.put(p, m);
        });
        return out;
    }

    private static Row row(List<Integer> layers, List<GradedGeneration.Completion> cs,
            List<GradedGeneration.Completion> intact) {
        boolean[] c = GradedGeneration.correct(cs);
        Accuracy a = Accuracy.of(c);
        McNemarResult m = ExactMcNemar.test(GradedGeneration.correct(intact), c);
        double intactRate = Accuracy.of(GradedGeneration.correct(intact)).rate();
        long careful = cs.stream().filter(x -> x.mode() == CompletionMode.CAREFUL).count();
        long hasty = cs.stream().filter(x -> x.mode() == CompletionMode.HASTY).count();
        McNemarResult mode = ExactMcNemar.test(hasty(intact), hasty(cs));
        return new Row(layers, a.rate(), a.correct(), c.length, a.ci95().lower(), a.ci95().upper(),
                intactRate - a.rate(), m.b(), m.c(), m.pValue(), (double) careful / c.length, (double) hasty / c.length,
                mode.pValue());
    }

    private static boolean[] hasty(List<GradedGeneration.Completion> cs) {
        boolean[] out = new boolean[cs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cs.get(i).mode() == CompletionMode.HASTY;
        }
        return out;
    }

    private static JFreeChart plot(Report r) {
        List<String> labels = r.ablated().stream().map(x -> x.layers().toString()).toList();
        double[] drop = r.ablated().stream().mapToDouble(Row::drop).toArray();
        return Charts.bar("Accuracy drop with the " + r.component() + " output " + r.ablation() + "-ablated ("
                + r.n() + " items)", "ablated layers", "accuracy drop (intact - ablated)", labels,
                Map.of("drop", drop));
    }

    private static void summary(AnalysisOutput o, Report r) {
        o.line("Ablation of %s: %s output, %s%s, on %d %s %s items", r.model(), r.component(), r.ablation(),
                r.ablation().equals("mean") ? " (mean over " + r.n_reference() + " train prompts' tokens)" : "", r.n(),
                r.dataset(), r.split());
        o.line("%-14s %8s %17s %8s %10s %8s %6s %8s", "ablated", "accuracy", "Wilson 95% CI", "drop", "McNemar p",
                "careful", "hasty", "hasty p");
        Row i = r.intact();
        o.line("%-14s %8.3f    [%.3f, %.3f] %8s %10s %8.2f %6.2f", "none (intact)", i.accuracy(), i.wilson_low(),
                i.wilson_high(), "-", "-", i.careful_share(), i.hasty_share());
        for (Row x : r.ablated()) {
            o.line("%-14s %8.3f    [%.3f, %.3f] %+8.3f %10.3g %8.2f %6.2f %8.3g", x.layers().toString(), x.accuracy(),
                    x.wilson_low(), x.wilson_high(), x.drop(), x.mcnemar_p(), x.careful_share(), x.hasty_share(),
                    x.hasty_mcnemar_p());
        }
        o.done();
    }

    static final class ComponentConverter implements picocli.CommandLine.ITypeConverter<Component> {
        @Override
        public Component convert(String value) {
            try {
                return WireName.parse(Component.class, "component", value);
            } catch (UserFacingException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<Ablation.Mode> {
        @Override
        public Ablation.Mode convert(String value) {
            String v = value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT);
            for (Ablation.Mode m : Ablation.Mode.values()) {
                if (m.name().equals(v)) {
                    return m;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("Unknown --ablation '" + value + "' (known: zero,"
                    + " mean). Pick one of them");
        }
    }
}
