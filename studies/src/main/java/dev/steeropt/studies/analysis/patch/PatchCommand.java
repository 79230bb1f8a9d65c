package dev.steeropt.studies.analysis.patch;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.cli.VerbosityMixin;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Grid;
import dev.steeropt.studies.plots.Series;
import dev.steeropt.studies.spec.WireName;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze patch}: activation patching from a source run into a target run. The source is another
 * model B of the target's shape ({@code --source-model}), or the target model itself on other prompts
 * ({@code --source-prompts clean --target-prompts corrupted}: within-model patching, the corrupted prompts from
 * {@link dev.steeropt.eval.datasets.QuestionCorruption}); both can be combined. The source runs every batch once and
 * its activations are cached; each target run has one site replaced by the source's, at the positions
 * {@link PatchPositions} pairs: a component at one layer, or with {@code --per-head} one query head of a layer's
 * {@code blocks.{i}.attn.hook_z}. Effect per site, normalised so 0 = the target run unpatched and 1 = the source run,
 * both scored against the source prompts' gold answer: (1) that gold answer's log-probability, the whole gold solution
 * teacher-forced after the run's own prompt; (2) greedy accuracy. Writes {@value #JSON} and {@value #PLOT} (per layer)
 * or {@value #HEADS_PLOT} (per head).
 */
@Command(name = "patch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Activation patching of a source run (model B, or A on other prompts) into A, layer by layer or"
                + " head by head: how much of the gap in the gold answer's log-probability and in greedy accuracy each"
                + " site recovers.")
public final class PatchCommand implements Callable<Integer> {
    /** The report. */
    public static final String JSON = "patch.json";
    /** Normalised effect per layer. */
    public static final String PLOT = "patch_effect.png";
    /** Normalised effect per layer and head ({@code --per-head}). */
    public static final String HEADS_PLOT = "patch_heads.png";

    /** {@code --component}: the hook point patched. */
    public enum Component implements WireName {
        /** The residual entering the block. */
        RESID_PRE,
        /** The attention output. */
        ATTN_OUT,
        /** The MLP output. */
        MLP_OUT;

        HookPoint point(int layer) {
            return switch (this) {
                case RESID_PRE -> HookPoint.residPre(layer);
                case ATTN_OUT -> HookPoint.attnOut(layer);
                case MLP_OUT -> HookPoint.mlpOut(layer);
            };
        }
    }

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    AnalysisInputs inputs;
    @Mixin
    AnalysisInputs.Versus source;
    @Option(names = "--component", paramLabel = "resid_pre|attn_out|mlp_out",
            description = "What is patched, per layer (default: resid_pre; not with --per-head).")
    Component component;
    @Option(names = "--positions", paramLabel = "last|prompt|all", defaultValue = "last", description = "Where: last (the last prompt token), prompt (every"
                    + " prompt token) or all (every prompt token and, teacher-forced, every answer token); prompt and"
                    + " all need source and target prompts of equal token length (default: ${DEFAULT-VALUE}).")
    PatchPositions positions;
    @Option(names = "--per-head", description = "Patch each query head of each layer's blocks.{i}.attn.hook_z"
            + " separately (the heads' outputs before the output projection) instead of a component per layer.")
    boolean perHead;
    @Option(names = "--source-prompts", paramLabel = "clean|corrupted", defaultValue = "clean", description = "The source run's prompts (default: ${DEFAULT-VALUE}).")
    PromptSet sourcePrompts;
    @Option(names = "--target-prompts", paramLabel = "clean|corrupted", defaultValue = "clean", description = "The target run's prompts; corrupted: each question"
                    + " with one number changed and its answer recomputed (default: ${DEFAULT-VALUE}).")
    PromptSet targetPrompts;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One layer's effect. */
    public record Layer(int layer, double gold_logprob, double logprob_recovered, double accuracy,
            double accuracy_recovered, double careful_share) {}

    /** One head's effect ({@code --per-head}). */
    public record Head(int layer, int head, double gold_logprob, double logprob_recovered, double accuracy,
            double accuracy_recovered, double careful_share) {}

    /**
     * {@value #JSON}: {@code layers} per layer, or {@code heads} per layer and head with {@code --per-head} (the other
     * list empty); {@code n_uncorruptible} and {@code n_unaligned} count the items dropped ({@link PatchItems}).
     */
    public record Report(String target, String source, String source_prompts, String target_prompts,
            String component, String positions, String dataset, String split, int n, int n_uncorruptible,
            int n_unaligned, double target_gold_logprob, double source_gold_logprob, double target_accuracy,
            double source_accuracy, double target_careful_share, double source_careful_share, List<Layer> layers,
            List<Head> heads) {}

    @Override
    public Integer call() {
        if (source.reference() == null && sourcePrompts == targetPrompts) {
            throw UserFacingException.usage("analyze patch needs a source model or other source prompts", "without"
                    + " --source-model the source is the target model itself, and with both runs on the "
                    + targetPrompts.wireName() + " prompts the patch would be the identity", "Pass --source-model B,"
                    + " or other prompt sets, e.g. --source-prompts clean --target-prompts corrupted.");
        }
        if (perHead && component != null) {
            throw UserFacingException.usage("--per-head and --component " + component.wireName() + " were both given",
                    "--per-head patches the heads' outputs at blocks.{i}.attn.hook_z, not a component",
                    "Drop --component (or --per-head).");
        }
        Component comp = component != null ? component : Component.RESID_PRE;
        PrintWriter out = spec.commandLine().getOut();
        try (AnalysisRun run = inputs.open("patch", source.reference(), out, spec.commandLine().getErr())) {
            run.requireSameShape("Patching activations of one model into the other");
            LoadedModel target = run.model().model();
            LoadedModel src = run.versus() != null ? run.versus().model() : target;
            int heads = target.config().numHeads();
            int headDim = target.config().headDim();
            if (perHead && (src.config().numHeads() != heads || src.config().headDim() != headDim)) {
                throw UserFacingException.usage("Models " + run.model().name() + " (" + heads + " heads of " + headDim
                        + ") and " + run.versus().name() + " (" + src.config().numHeads() + " of "
                        + src.config().headDim() + ") have other attention heads", "--per-head patches head h of the"
                        + " source into head h of the target", "Pass two models of the same architecture, or drop"
                        + " --per-head.");
            }
            PatchItems.Built built = PatchItems.build(run, run.data().evaluated(), sourcePrompts, targetPrompts,
                    positions, inputs.seed());
            if (built.uncorruptible() + built.unaligned() > 0) {
                run.err().println("Dropped " + built.uncorruptible() + " items without a corrupted version and "
                        + built.unaligned() + " whose source and target prompts differ in token length; "
                        + built.items().size() + " left.");
            }
            int[] layers = run.layers();
            List<Patching.Site> sites = new ArrayList<>();
            for (int l : layers) {
                if (perHead) {
                    for (int h = 0; h < heads; h++) {
                        sites.add(new Patching.Site(HookPoint.z(l), h));
                    }
                } else {
                    sites.add(new Patching.Site(comp.point(l), -1));
                }
            }
            Patching.Measured m = Patching.run(run, src, built.items(), sites, positions, headDim);
            Report report = report(run, built, comp, layers, heads, m);
            AnalysisOutput o = run.output();
            o.json(JSON, report);
            if (perHead) {
                o.plot(HEADS_PLOT, headsPlot(report, layers, heads));
            } else {
                o.plot(PLOT, plot(report));
            }
            summary(o, report);
            return 0;
        }
    }

    private Report report(AnalysisRun run, PatchItems.Built built, Component comp, int[] layers, int heads,
            Patching.Measured m) {
        Patching.Effect s = m.source();
        Patching.Effect t = m.target();
        List<Layer> ls = new ArrayList<>();
        List<Head> hs = new ArrayList<>();
        for (int i = 0; i < m.sites().size(); i++) {
            Patching.Effect e = m.sites().get(i);
            double lp = Patching.recovered(e.goldLogprob(), t.goldLogprob(), s.goldLogprob());
            double acc = Patching.recovered(e.accuracy(), t.accuracy(), s.accuracy());
            if (perHead) {
                hs.add(new Head(layers[i / heads], i % heads, e.goldLogprob(), lp, e.accuracy(), acc, e.carefulShare()));
            } else {
                ls.add(new Layer(layers[i], e.goldLogprob(), lp, e.accuracy(), acc, e.carefulShare()));
            }
        }
        String sourceName = run.versus() != null ? run.versus().name() : run.model().name();
        return new Report(run.model().name(), sourceName, sourcePrompts.wireName(), targetPrompts.wireName(),
                perHead ? HookPoint.Kind.Z.suffix() : comp.wireName(), positions.wireName(),
                run.data().dataset().cliName(), run.data().split().wireName(), built.items().size(),
                built.uncorruptible(), built.unaligned(), t.goldLogprob(), s.goldLogprob(), t.accuracy(), s.accuracy(),
                t.carefulShare(), s.carefulShare(), ls, hs);
    }

    private static JFreeChart plot(Report r) {
        double[] x = r.layers().stream().mapToDouble(Layer::layer).toArray();
        JFreeChart c = Charts.line("Patching " + runName(r.source(), r.source_prompts()) + "'s " + r.component()
                + " into " + runName(r.target(), r.target_prompts())
                + " (0 = target, 1 = source)", "layer", "share of the gap recovered", List.of(
                        new Series("gold answer log-probability", x, r.layers().stream()
                                .mapToDouble(Layer::logprob_recovered).toArray()),
                        new Series("greedy accuracy", x, r.layers().stream().mapToDouble(Layer::accuracy_recovered)
                                .toArray())));
        Charts.referenceLine(c, 1, "source");
        Charts.integerX(c);
        return c;
    }

    private static JFreeChart headsPlot(Report r, int[] layers, int heads) {
        List<String> cols = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            cols.add("head " + h);
        }
        List<String> rows = new ArrayList<>();
        double[][] v = new double[layers.length][heads];
        for (int li = 0; li < layers.length; li++) {
            rows.add(Integer.toString(layers[li]));
        }
        for (Head h : r.heads()) {
            v[indexOf(layers, h.layer())][h.head()] = h.logprob_recovered();
        }
        return Charts.heatmap("Patching " + runName(r.source(), r.source_prompts()) + "'s heads (hook_z) into "
                + runName(r.target(), r.target_prompts()) + ": gold log-prob recovered (0 = target, 1 = source)",
                "head", "layer", "recovered", new Grid(cols, rows, v));
    }

    private static int indexOf(int[] layers, int layer) {
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == layer) {
                return i;
            }
        }
        throw new IllegalArgumentException("layer " + layer + " was not patched");
    }

    private static String runName(String model, String prompts) {
        return model + " (" + prompts + ")";
    }

    private static void summary(AnalysisOutput o, Report r) {
        o.line("Patching %s's %s (%s positions) into %s on %d %s %s items", runName(r.source(), r.source_prompts()),
                r.component(), r.positions(), runName(r.target(), r.target_prompts()), r.n(), r.dataset(), r.split());
        o.line("target: gold log-prob %.2f, accuracy %.3f, careful %.2f; source: gold log-prob %.2f, accuracy %.3f,"
                + " careful %.2f", r.target_gold_logprob(), r.target_accuracy(), r.target_careful_share(),
                r.source_gold_logprob(), r.source_accuracy(), r.source_careful_share());
        if (!r.heads().isEmpty()) {
            o.line("%5s %4s %12s %10s %9s %10s %8s", "layer", "head", "gold logp", "recovered", "accuracy", "recovered",
                    "careful");
            for (Head h : r.heads()) {
                o.line("%5d %4d %12.2f %10.3f %9.3f %10.3f %8.2f", h.layer(), h.head(), h.gold_logprob(),
                        h.logprob_recovered(), h.accuracy(), h.accuracy_recovered(), h.careful_share());
            }
        } else {
            o.line("%5s %12s %10s %9s %10s %8s", "layer", "gold logp", "recovered", "accuracy", "recovered", "careful");
            for (Layer l : r.layers()) {
                o.line("%5d %12.2f %10.3f %9.3f %10.3f %8.2f", l.layer(), l.gold_logprob(), l.logprob_recovered(),
                        l.accuracy(), l.accuracy_recovered(), l.careful_share());
            }
        }
        o.done();
    }
}
