package dev.steeropt.studies.analysis.patch;

import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.cli.VerbosityMixin;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Series;
import dev.steeropt.studies.spec.WireName;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze patch}: activation patching from a source model B into a target model A of the same shape.
 * B runs every batch once and its activations at the component are cached; each target run has that component, at
 * one layer, replaced by B's on the same token positions ({@code last}: the last prompt token; {@code all}: every
 * prompt token, and with teacher forcing every answer token too). Effect per layer, normalised so 0 = the target
 * unpatched and 1 = the source: (1) the gold answer's log-probability, the whole gold solution teacher-forced after
 * the prompt; (2) greedy accuracy. Writes {@value #JSON} and {@value #PLOT}.
 */
@Command(name = "patch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Activation patching of B's component into A, layer by layer: how much of the gap in the gold"
                + " answer's log-probability and in greedy accuracy each layer recovers.")
public final class PatchCommand implements Callable<Integer> {
    /** The report. */
    public static final String JSON = "patch.json";
    /** Normalised effect per layer. */
    public static final String PLOT = "patch_effect.png";

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

    /** {@code --positions}. */
    public enum Positions implements WireName {
        /** The last prompt token. */
        LAST,
        /** Every prompt token (and, teacher-forced, every answer token). */
        ALL
    }

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    AnalysisInputs inputs;
    @Mixin
    AnalysisInputs.Versus source;
    @Option(names = "--component", paramLabel = "resid_pre|attn_out|mlp_out", defaultValue = "resid_pre",
            converter = ComponentConverter.class, description = "What is patched (default: ${DEFAULT-VALUE}).")
    Component component;
    @Option(names = "--positions", paramLabel = "last|all", defaultValue = "last", converter = PositionsConverter.class,
            description = "Where (default: ${DEFAULT-VALUE}).")
    Positions positions;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One layer's effect. */
    public record Layer(int layer, double gold_logprob, double logprob_recovered, double accuracy,
            double accuracy_recovered, double careful_share) {}

    /** {@value #JSON}. */
    public record Report(String target, String source, String component, String positions, String dataset,
            String split, int n, double target_gold_logprob, double source_gold_logprob, double target_accuracy,
            double source_accuracy, double target_careful_share, double source_careful_share, List<Layer> layers) {}

    @Override
    public Integer call() {
        if (source.reference() == null) {
            throw UserFacingException.usage("analyze patch needs a source model", "the target's activations are"
                    + " replaced by the source's", "Pass --source-model B (a model of the target's shape).");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (AnalysisRun run = inputs.open("patch", source.reference(), out, spec.commandLine().getErr())) {
            run.requireSameShape("Patching activations of one model into the other");
            Report report = Patching.run(run, component, positions, this::point);
            AnalysisOutput o = run.output();
            o.json(JSON, report);
            o.plot(PLOT, plot(report));
            summary(o, report);
            return 0;
        }
    }

    private HookPoint point(int layer) {
        return component.point(layer);
    }

    private static JFreeChart plot(Report r) {
        double[] x = r.layers().stream().mapToDouble(Layer::layer).toArray();
        JFreeChart c = Charts.line("Patching " + r.source() + "'s " + r.component() + " into " + r.target()
                + " (0 = target, 1 = source)", "layer", "share of the gap recovered", List.of(
                        new Series("gold answer log-probability", x, r.layers().stream()
                                .mapToDouble(Layer::logprob_recovered).toArray()),
                        new Series("greedy accuracy", x, r.layers().stream().mapToDouble(Layer::accuracy_recovered)
                                .toArray())));
        Charts.referenceLine(c, 1, "source");
        Charts.integerX(c);
        return c;
    }

    private static void summary(AnalysisOutput o, Report r) {
        o.line("Patching %s's %s (%s positions) into %s on %d %s %s items", r.source(), r.component(), r.positions(),
                r.target(), r.n(), r.dataset(), r.split());
        o.line("target: gold log-prob %.2f, accuracy %.3f, careful %.2f; source: gold log-prob %.2f, accuracy %.3f,"
                + " careful %.2f", r.target_gold_logprob(), r.target_accuracy(), r.target_careful_share(),
                r.source_gold_logprob(), r.source_accuracy(), r.source_careful_share());
        o.line("%5s %12s %10s %9s %10s %8s", "layer", "gold logp", "recovered", "accuracy", "recovered", "careful");
        for (Layer l : r.layers()) {
            o.line("%5d %12.2f %10.3f %9.3f %10.3f %8.2f", l.layer(), l.gold_logprob(), l.logprob_recovered(),
                    l.accuracy(), l.accuracy_recovered(), l.careful_share());
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

    static final class PositionsConverter implements picocli.CommandLine.ITypeConverter<Positions> {
        @Override
        public Positions convert(String value) {
            try {
                return WireName.parse(Positions.class, "positions", value);
            } catch (UserFacingException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
