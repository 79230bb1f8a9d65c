package dev.steeropt.studies.analysis.variability;

import dev.steeropt.studies.analysis.AnalysisInputs;
import dev.steeropt.studies.analysis.AnalysisModel;
import dev.steeropt.studies.analysis.AnalysisRun;
import dev.steeropt.studies.analysis.reads.Completion;
import dev.steeropt.studies.analysis.reads.Completions;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.plots.Charts;
import java.util.ArrayList;
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
 * {@code steeropt analyze variability}: K sampled completions per problem and model ({@link TokenVariability}),
 * {@code variability.json} and the bar graph of pass@1 per token-CV quartile ({@code variability.png}).
 */
@Command(name = "variability", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"K sampled completions per problem (a seed per sample, batched): token-count mean, SD and"
                + " coefficient of variation per problem and model, pass@1 and majority-vote accuracy, accuracy per"
                + " token-CV quartile, and the correlation of CV with correctness."})
public final class VariabilityCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    AnalysisInputs inputs;

    @Mixin
    AnalysisInputs.Versus versus;

    @Option(names = "--samples", defaultValue = "8", paramLabel = "K", description = "Samples per problem (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--temperature", defaultValue = "0.7", paramLabel = "T", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    /** {@code variability.json}. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(String dataset, String split, int n, int samples, double temperature, long seed,
            List<TokenVariability.Model> models) {}

    @Override
    public Integer call() {
        if (samples < 2) {
            throw UserFacingException.usage("Invalid --samples " + samples, "a token-count SD needs at least 2 samples", "Pass --samples 2 or more.");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw UserFacingException.usage("Invalid --temperature " + temperature, "sampling needs a finite temperature above 0"
                    + " (0 is greedy: every sample alike)", "Pass e.g. --temperature 0.7.");
        }
        try (AnalysisRun run = inputs.open("variability", versus.reference(), spec.commandLine().getOut(), spec.commandLine().getErr())) {
            List<AnalysisModel> models = new ArrayList<>(List.of(run.model()));
            if (run.versus() != null) {
                models.add(run.versus());
            }
            long seed = run.data().plan().seed();
            List<TokenVariability.Model> out = new ArrayList<>();
            for (AnalysisModel m : models) {
                run.err().println("sampling " + samples + " completions of " + run.data().evaluated().size() + " problems from " + m.name());
                List<Completion> c = Completions.sampled(m.model(), m.tokenizer(), run.grader(), run.data().evaluated(),
                        p -> m.tokenizer().encode(run.variant().render(p), true), run.padId(), run.maxNewTokens(), samples,
                        (float) temperature, seed);
                out.add(TokenVariability.of(m.name(), c, samples));
            }
            Result result = new Result(run.data().dataset().cliName(), run.data().split().wireName(), run.data().evaluated().size(),
                    samples, temperature, seed, out);
            run.output().json("variability.json", result);
            run.output().plot("variability.png", chart(result));
            for (TokenVariability.Model m : out) {
                run.output().line("%s: mean %.1f tokens, mean CV %.3f, pass@1 %.1f%%, majority vote %.1f%%, Pearson r(CV, pass@1) = %.3f",
                        m.model(), m.meanTokens(), m.meanCv(), 100 * m.passAt1(), 100 * m.majorityAccuracy(), m.cvPassAt1Pearson());
                for (TokenVariability.Bin b : m.cvBins()) {
                    run.output().line("  %-22s %3d problems  pass@1 %.1f%%", b.label(), b.problems(), 100 * b.passAt1());
                }
            }
            run.output().done();
        }
        return 0;
    }

    /** pass@1 per CV quartile, one bar per model. */
    static JFreeChart chart(Result r) {
        List<String> cats = List.of("Q1 (lowest CV)", "Q2", "Q3", "Q4 (highest CV)");
        Map<String, double[]> bars = new LinkedHashMap<>();
        for (TokenVariability.Model m : r.models()) {
            double[] v = new double[cats.size()];
            java.util.Arrays.fill(v, Double.NaN);
            for (int i = 0; i < Math.min(v.length, m.cvBins().size()); i++) {
                v[i] = m.cvBins().get(i).passAt1();
            }
            bars.put(m.model(), v);
        }
        JFreeChart c = Charts.bar("pass@1 by token-count CV quartile (" + String.join(" vs ", bars.keySet()) + ", "
                + r.dataset() + " " + r.split() + ", n = " + r.n() + ", K = " + r.samples() + ", T = " + r.temperature() + ")",
                "problems binned by the CV of their K completions' token counts", "pass@1", cats, bars);
        Charts.yRange(c, 0, 1.02);
        return c;
    }
}
