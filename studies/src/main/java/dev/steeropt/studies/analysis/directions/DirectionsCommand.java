package dev.steeropt.studies.analysis.directions;

import dev.steeropt.studies.analysis.reads.ReadMode;
import dev.steeropt.core.steering.ControlVectorGguf;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisOutput;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.cli.VerbosityMixin;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import dev.steeropt.studies.plots.Grid;
import dev.steeropt.studies.spec.PairBuilder;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt analyze directions}: contrastive directions per layer on the train split, within model A and, with
 * {@code --versus B}, across models (A minus B). Writes {@value DirectionSet#FILE} (the cross-model set when
 * {@code --versus} is given, else the within-model one), {@value #JSON}, {@value #PLOT} and with {@code --gguf} a
 * llama.cpp control vector of the same directions (raw units; layer 0 has no llama.cpp slot and is left out).
 */
@Command(name = "directions", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Contrastive directions per layer (train split): within model A, or A minus B with --versus.")
public final class DirectionsCommand implements Callable<Integer> {
    /** The report. */
    public static final String JSON = "directions.json";
    /** The cosine heatmap. */
    public static final String PLOT = "directions_cosine.png";

    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    AnalysisInputs inputs;
    @Mixin
    AnalysisInputs.Versus versus;
    @Mixin
    AnalysisInputs.Contrast contrast;
    @Option(names = "--read", paramLabel = "last_prompt_token|mean_generated", defaultValue = "last_prompt_token",
            converter = ReadConverter.class, description = "Where prompts are read for the cross-model direction and"
                    + " the mean residual norm (default: ${DEFAULT-VALUE}).")
    ReadMode read;
    @Option(names = "--gguf", paramLabel = "FILE", description = "Also write the directions as a llama.cpp control"
            + " vector (raw units: --control-vector-scaled FILE S adds S x direction).")
    Path gguf;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AnalysisRun run = inputs.openTrainOnly("directions", versus.reference(), out, spec.commandLine().getErr())) {
            List<Integer> layers = Arrays.stream(run.layers()).boxed().toList();
            PairBuilder pairs = contrast.resolve(run.model().demo());
            DirectionSet within = DirectionAnalysis.within(run, pairs, layers, read);
            DirectionSet main = run.versus() == null ? within : DirectionAnalysis.cross(run, layers, read);
            AnalysisOutput o = run.output();
            main.write(o.dir());
            o.wrote(DirectionSet.FILE);
            DirectionsReport report = DirectionsReport.of(main, run.versus() == null ? null : within,
                    run.model().name(), run.versus() == null ? null : run.versus().name());
            o.json(JSON, report);
            o.plot(PLOT, Charts.heatmap("Cosine between layer directions (" + report.kind() + ")", "layer", "layer",
                    "cosine", grid(report)));
            String ggufNote = gguf == null ? null : writeGguf(main, run);
            summary(o, report, run, ggufNote);
            return 0;
        }
    }

    private String writeGguf(DirectionSet set, AnalysisRun run) {
        List<SteeringVector> vectors = new ArrayList<>();
        for (int l : set.layers()) {
            if (l > 0) {
                vectors.add(set.vector(l));
            }
        }
        if (vectors.isEmpty()) {
            throw UserFacingException.usage("--gguf needs a layer above 0", "llama.cpp keeps no control vector for"
                    + " block 0", "Pass --layers with a layer of 1 or more.");
        }
        try {
            ControlVectorGguf.write(gguf, vectors, run.model().model().config().modelType());
        } catch (UncheckedIOException e) {
            throw UserFacingException.runtime("Cannot write --gguf " + gguf, e.getCause().toString(), null, e);
        }
        return "llama.cpp control vector " + gguf.toAbsolutePath() + " (layers " + vectors.stream()
                .map(SteeringVector::layer).toList() + (set.layers().contains(0) ? "; layer 0 left out" : "")
                + "; --control-vector-scaled " + gguf + " S adds S x direction at every position)";
    }

    private static Grid grid(DirectionsReport r) {
        List<String> labels = r.layers().stream().map(l -> Integer.toString(l.layer())).toList();
        double[][] v = new double[labels.size()][labels.size()];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                Double c = r.cosine_matrix().get(i).get(j);
                v[i][j] = c == null ? Double.NaN : c;
            }
        }
        return new Grid(labels, labels, v);
    }

    private static void summary(AnalysisOutput o, DirectionsReport r, AnalysisRun run, String ggufNote) {
        o.line("%s directions of %s%s, %s, read at %s, from %d train %s (%s)", r.kind(), r.model_a(),
                r.model_b() == null ? "" : " minus " + r.model_b(), r.contrast(), r.read(), r.n_train(),
                r.model_b() == null ? "pairs" : "prompts", run.data().source());
        o.line("%6s %10s %10s %8s %9s %9s%s", "layer", "norm", "|h| mean", "norm/|h|", "cos prev", "cos next",
                r.model_b() == null ? "" : "  cos(within, cross)");
        for (DirectionsReport.Layer l : r.layers()) {
            o.line("%6d %10.4f %10.4f %8.4f %9s %9s%s", l.layer(), l.norm(), l.mean_residual_norm(), l.relative_norm(),
                    fmt(l.cosine_previous()), fmt(l.cosine_next()), r.model_b() == null ? ""
                            : String.format(java.util.Locale.ROOT, "  %19s", fmt(l.within_vs_cross_cosine())));
        }
        if (ggufNote != null) {
            o.line("%s", ggufNote);
        }
        o.done();
    }

    private static String fmt(Double x) {
        return x == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", x);
    }

    static final class ReadConverter implements picocli.CommandLine.ITypeConverter<ReadMode> {
        @Override
        public ReadMode convert(String value) {
            try {
                return ReadMode.parse(value);
            } catch (UserFacingException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
