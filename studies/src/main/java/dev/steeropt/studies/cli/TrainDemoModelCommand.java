package dev.steeropt.studies.cli;

import dev.steeropt.core.train.DemoTrainer;
import dev.steeropt.core.train.TrainConfig;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.demo.DemoData;
import dev.steeropt.studies.demo.DemoEvaluation;
import dev.steeropt.studies.demo.DemoModelTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt train-demo-model --out DIR [--seed S] [--minutes M] [--steps N]}: trains the small Llama demo model
 * on synthetic GSM8K-style problems on the CPU, writes it as a Hugging Face model directory with
 * {@code training_manifest.json}, and prints validation accuracy per difficulty.
 */
@Command(name = "train-demo-model", mixinStandardHelpOptions = true,
        description = {"Train the small Llama demo model (character vocabulary) on synthetic GSM8K-style problems, on the CPU,"
                + " through the runtime's own layers.",
            "Writes config.json, model.safetensors (F16), tokenizer files, generation_config.json and"
                + " training_manifest.json; progress goes to stderr, the summary to stdout."})
public final class TrainDemoModelCommand implements Callable<Integer> {

    @Mixin
    VerbosityMixin verbosity;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Weights and data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Optimiser steps (default: 1350, the schedule's length).")
    Integer steps;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "" + DemoTrainer.DEFAULT_MINUTES,
            description = "Time budget: stop after M minutes even if steps remain; the learning-rate decay follows the"
                    + " clock when it is ahead of the steps, so a cut-short run still ends its schedule. 0 = no limit"
                    + " (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "PyTorch threads, 0 for the engine's choice (default: ${DEFAULT-VALUE}: the same seed then"
                    + " gives byte-identical weights, and other load on the cores does not stall it; 2 is faster on an"
                    + " idle machine).")
    int threads;

    @Option(names = "--difficulty-weights", paramLabel = "W1,W2,W3,W4", split = ",",
            description = "Relative share of difficulties 1-4 in the training data (default: 0.4,0.3,0.2,0.1).")
    double[] difficultyWeights;

    @Option(names = "--validation-per-difficulty", paramLabel = "N", defaultValue = "50",
            description = "Held-out validation problems per difficulty, graded at the end (default: ${DEFAULT-VALUE}).")
    int validationPerDifficulty;

    @Option(names = "--force", description = "Overwrite model files already in --out.")
    boolean force;

    @Override
    public Integer call() {
        if (!force && Files.exists(out.resolve("model.safetensors"))) {
            throw UserFacingException.usage("Refusing to overwrite '" + out + "'", "it already holds model.safetensors",
                    "Pass --force, or choose another --out.");
        }
        if (minutes < 0 || threads < 0 || validationPerDifficulty < 0 || (steps != null && steps < 1)) {
            throw UserFacingException.usage("Invalid option", "--minutes, --threads and --validation-per-difficulty must be"
                    + " >= 0 and --steps >= 1", "For example: --steps 1200 --minutes 15 --threads 1.");
        }
        TrainConfig base = DemoTrainer.defaults().withSeed(seed);
        TrainConfig config = base.withBudget(steps == null ? base.steps() : steps, Math.round(minutes * 60_000));
        DemoData data;
        try {
            data = new DemoData(seed, difficultyWeights == null ? DemoData.DEFAULT_WEIGHTS : difficultyWeights);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("Invalid --difficulty-weights", e.getMessage(), "Give four non-negative numbers,"
                    + " e.g. 0.4,0.3,0.2,0.1.");
        }
        DemoModelTraining.Report r = DemoModelTraining.run(config, data, out, validationPerDifficulty, threads,
                spec.commandLine().getErr());
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %s%n", out.toAbsolutePath());
        w.printf(Locale.ROOT, "  parameters   %,d%n", r.training().parameterCount());
        w.printf(Locale.ROOT, "  steps        %d of %d%s%n", r.training().stepsDone(), r.training().stepsPlanned(),
                r.training().stoppedByTime() ? " (time budget reached)" : "");
        w.printf(Locale.ROOT, "  tokens seen  %,d (%,d examples)%n", r.training().tokensSeen(), r.training().examplesSeen());
        w.printf(Locale.ROOT, "  loss         %.4f -> %.4f%n", r.training().firstLoss(), r.training().finalLoss());
        if (r.training().updatesSkipped() > 0) {
            w.printf(Locale.ROOT, "  skipped      %d update(s) with a non-finite gradient%n", r.training().updatesSkipped());
        }
        w.printf(Locale.ROOT, "  train time   %.1f min%n", r.training().wallMillis() / 60000.0);
        for (DemoEvaluation.Accuracy a : r.validation()) {
            w.printf(Locale.ROOT, "  validation difficulty %d: %d/%d = %.1f%%%n", a.difficulty(), a.correct(), a.total(),
                    100 * a.rate());
        }
        if (r.validationOverall().total() > 0) {
            w.printf(Locale.ROOT, "  validation overall: %d/%d = %.1f%% (%.1f s)%n", r.validationOverall().correct(),
                    r.validationOverall().total(), 100 * r.validationOverall().rate(), r.evalMillis() / 1000.0);
        }
        w.printf(Locale.ROOT, "  weights sha256 %s%n", r.weightsSha256());
        w.flush();
        return 0;
    }
}
