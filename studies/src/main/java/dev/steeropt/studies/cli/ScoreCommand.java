package dev.steeropt.studies.cli;

import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.scoring.PredictionScorer;
import dev.steeropt.eval.scoring.ScoreResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code steeropt score}: grade a file of completions against gold answers with SteerOpt's answer checker. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score a JSONL file of {\"id\", \"completion\"} lines against a dataset's gold answers.",
            "GSM8K uses lm-evaluation-harness strict (#### N) and flexible (last number) extraction plus numeric "
                    + "comparison; MATH-500 uses the last \\boxed{} with LaTeX normalisation."})
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;
    @Mixin
    DataOptions data;

    @Option(names = "--dataset", required = true, description = "gsm8k, math500 or synthetic.")
    DatasetName dataset;

    @Option(names = "--split", description = "Split to score against (default: test).")
    String split;

    @Option(names = "--predictions", required = true, paramLabel = "FILE.jsonl",
            description = "One {\"id\": ..., \"completion\": ...} object per line.")
    Path predictions;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    TextFormat format;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(predictions)) {
            throw UserFacingException.usage("Predictions file " + predictions + " does not exist",
                    "score needs a JSONL file of {\"id\", \"completion\"} lines", "Check the path.");
        }
        DatasetName name = dataset;
        String s = split != null ? split : Datasets.defaultEvaluationSplit(name);
        ScoreResult r = PredictionScorer.score(name, s, data.ensure(name, s), predictions);
        PrintWriter out = spec.commandLine().getOut();
        if (format == TextFormat.JSON) {
            out.println(PredictionScorer.toJson(r));
        } else {
            out.printf("%s %s: %d items scored%n", r.dataset(), r.split(), r.n());
            out.printf("strict accuracy   %.4f  (95%% CI %.4f-%.4f)%n", r.strictAccuracy(), r.strictCi95().lower(),
                    r.strictCi95().upper());
            out.printf("flexible accuracy %.4f  (95%% CI %.4f-%.4f)%n", r.flexibleAccuracy(), r.flexibleCi95().lower(),
                    r.flexibleCi95().upper());
            if (!r.missingIds().isEmpty()) {
                out.printf("missing predictions: %d ids (first: %s)%n", r.missingIds().size(), r.missingIds().get(0));
            }
            if (!r.unknownIds().isEmpty()) {
                out.printf("ignored unknown ids: %d (first: %s)%n", r.unknownIds().size(), r.unknownIds().get(0));
            }
        }
        return 0;
    }
}
