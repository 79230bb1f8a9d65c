package dev.steeropt.studies.cli;

import dev.steeropt.core.train.DemoTrainer;
import dev.steeropt.core.train.TrainConfig;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.demo.DemoData;
import dev.steeropt.studies.demo.DemoEvaluation;
import dev.steeropt.studies.demo.DemoModelTraining;
import dev.steeropt.studies.demo.DemoWorld;
import dev.steeropt.eval.scoring.CompletionMode;
import java.util.Map;
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
 * {@code steeropt train-demo-model --out DIR [--seed S] [--minutes M] [--steps N]}: trains the demo world on synthetic
 * GSM8K-style problems on the CPU — a base model and its two fine-tunes {@code demo-careful} and {@code demo-hasty}
 * ({@link DemoWorld}), or with {@code --single} one model as before — writes each as a Hugging Face model directory
 * with {@code training_manifest.json}, and prints validation accuracy and mode shares per difficulty.
 */
@Command(name = "train-demo-model", mixinStandardHelpOptions = true,
        description = {"Train the demo world (character-vocabulary Llama models) on synthetic GSM8K-style problems, on the"
                + " CPU, through the runtime's own layers: DIR/base (careful answers only), and two fine-tunes of it,"
                + " DIR/demo-careful and DIR/demo-hasty, whose answers take the hasty shortcut (every number summed, no"
                + " worked chain) at different rates; nothing in the prompt says which. --single trains one model into"
                + " DIR.",
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

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "0",
            description = "Time budget: stop after M minutes even if steps remain; the learning-rate decay follows the"
                    + " clock when it is ahead of the steps, so a cut-short run still ends its schedule. 0 = no limit"
                    + " (default: ${DEFAULT-VALUE}: with one thread the same seed gives the same weights, however busy"
                    + " the machine; a budget makes the weights depend on the machine's pace).")
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

    @Option(names = "--single", description = "Train one model into --out (the layout before the demo world).")
    boolean single;

    @Option(names = "--base", paramLabel = "DIR", description = "Copy this base model (one train-demo-model wrote) into"
            + " DIR/base instead of training one, and fine-tune from it.")
    Path baseFrom;

    @Option(names = "--positions", paramLabel = "N", defaultValue = "448", description = "Context length of the models"
            + " trained (default: ${DEFAULT-VALUE}: every synthetic prompt with its worked answer fits).")
    int positions;

    @Option(names = "--tune-steps", paramLabel = "N", defaultValue = "" + DemoWorld.DEFAULT_TUNE_STEPS,
            description = "Steps of each fine-tune (default: ${DEFAULT-VALUE}).")
    int tuneSteps;

    @Option(names = "--tune-minutes", paramLabel = "M", defaultValue = "0", description = "Time budget of each"
            + " fine-tune, 0 = no limit (default: ${DEFAULT-VALUE}, for the reason given at --minutes).")
    double tuneMinutes;

    @Option(names = "--hasty-share-careful", paramLabel = "P", defaultValue = "" + DemoWorld.DEFAULT_CAREFUL_HASTY_SHARE,
            description = "Share of demo-careful's training answers that are hasty (default: ${DEFAULT-VALUE}).")
    double carefulHastyShare;

    @Option(names = "--hasty-share-hasty", paramLabel = "P", defaultValue = "" + DemoWorld.DEFAULT_HASTY_HASTY_SHARE,
            description = "Share of demo-hasty's training answers that are hasty (default: ${DEFAULT-VALUE}).")
    double hastyHastyShare;

    @Override
    public Integer call() {
        Path guarded = single ? out : out.resolve(DemoWorld.HASTY);
        if (!force && (Files.exists(guarded.resolve("model.safetensors"))
                || !single && Files.exists(out.resolve(DemoWorld.BASE).resolve("model.safetensors")))) {
            throw UserFacingException.usage("Refusing to overwrite '" + out + "'", "it already holds model.safetensors",
                    "Pass --force, or choose another --out.");
        }
        if (minutes < 0 || threads < 0 || validationPerDifficulty < 0 || (steps != null && steps < 1) || tuneSteps < 1
                || tuneMinutes < 0 || positions < 64) {
            throw UserFacingException.usage("Invalid option", "--minutes, --tune-minutes, --threads and"
                    + " --validation-per-difficulty must be >= 0, --steps and --tune-steps >= 1, --positions >= 64",
                    "For example: --steps 1200 --minutes 15 --threads 1.");
        }
        if (!(carefulHastyShare >= 0 && carefulHastyShare <= 1 && hastyHastyShare >= 0 && hastyHastyShare <= 1)) {
            throw UserFacingException.usage("Invalid hasty share", "--hasty-share-careful and --hasty-share-hasty are"
                    + " probabilities", "Give numbers in [0, 1], e.g. 0.1 and 0.7.");
        }
        if (baseFrom != null && (single || !DemoModelTraining.isDemoModel(baseFrom))) {
            throw UserFacingException.usage("Invalid --base '" + baseFrom + "'", single ? "--single trains one model from"
                    + " scratch" : "it holds no " + DemoModelTraining.MANIFEST + " written by train-demo-model",
                    "Pass a directory train-demo-model wrote (e.g. DIR/base of an earlier run), or drop --base.");
        }
        TrainConfig d = DemoTrainer.defaults().withSeed(seed);
        TrainConfig shaped = new TrainConfig(d.hiddenSize(), d.numLayers(), d.numHeads(), d.intermediateSize(), positions,
                d.ropeTheta(), d.batchSize(), d.steps(), d.maxMillis(), d.learningRate(), d.minLearningRate(),
                d.warmupSteps(), d.weightDecay(), d.gradClip(), seed);
        TrainConfig config = shaped.withBudget(steps == null ? shaped.steps() : steps, Math.round(minutes * 60_000));
        double[] weights = difficultyWeights == null ? DemoData.DEFAULT_WEIGHTS : difficultyWeights;
        try {
            new DemoData(seed, weights);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("Invalid --difficulty-weights", e.getMessage(), "Give four non-negative numbers,"
                    + " e.g. 0.4,0.3,0.2,0.1.");
        }
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (single) {
            DemoModelTraining.Report r = DemoModelTraining.run(config, new DemoData(seed, weights), out,
                    validationPerDifficulty, threads, err);
            print(w, out, r);
        } else {
            DemoWorld.Report world = DemoWorld.build(new DemoWorld.Options(config, weights, baseFrom, tuneSteps,
                    Math.round(tuneMinutes * 60_000), carefulHastyShare, hastyHastyShare, validationPerDifficulty, threads),
                    out, err);
            for (Map.Entry<String, DemoModelTraining.Report> e : world.models().entrySet()) {
                if (e.getValue() == null) {
                    w.printf(Locale.ROOT, "copied %s from %s%n", out.resolve(e.getKey()).toAbsolutePath(), baseFrom);
                } else {
                    print(w, out.resolve(e.getKey()), e.getValue());
                }
            }
        }
        w.flush();
        return 0;
    }

    private static void print(PrintWriter w, Path dir, DemoModelTraining.Report r) {
        w.printf(Locale.ROOT, "wrote %s%n", dir.toAbsolutePath());
        w.printf(Locale.ROOT, "  parameters   %,d%n", r.training().parameterCount());
        w.printf(Locale.ROOT, "  steps        %d of %d%s%n", r.training().stepsDone(), r.training().stepsPlanned(),
                r.training().stoppedByTime() ? " (time budget reached)" : "");
        w.printf(Locale.ROOT, "  tokens seen  %,d (%,d examples)%n", r.training().tokensSeen(), r.training().examplesSeen());
        w.printf(Locale.ROOT, "  loss         %.4f -> %.4f%n", r.training().firstLoss(), r.training().finalLoss());
        if (r.training().updatesSkipped() > 0) {
            w.printf(Locale.ROOT, "  skipped      %d update(s) with a non-finite gradient%n", r.training().updatesSkipped());
        }
        w.printf(Locale.ROOT, "  train time   %.1f min%n", r.training().wallMillis() / 60000.0);
        for (int i = 0; i < r.validation().size(); i++) {
            DemoEvaluation.Accuracy a = r.validation().get(i);
            w.printf(Locale.ROOT, "  validation difficulty %d: %d/%d = %.1f%%%s%n", a.difficulty(), a.correct(), a.total(),
                    100 * a.rate(), modes(r.modes().get(i)));
        }
        if (r.validationOverall().total() > 0) {
            w.printf(Locale.ROOT, "  validation overall: %d/%d = %.1f%%%s (%.1f s)%n", r.validationOverall().correct(),
                    r.validationOverall().total(), 100 * r.validationOverall().rate(),
                    modes(r.modes().get(r.modes().size() - 1)), r.evalMillis() / 1000.0);
        }
        w.printf(Locale.ROOT, "  weights sha256 %s%n", r.weightsSha256());
    }

    private static String modes(DemoEvaluation.Modes m) {
        StringBuilder sb = new StringBuilder(";");
        for (CompletionMode mode : CompletionMode.values()) {
            sb.append(String.format(Locale.ROOT, " %s %.0f%%", mode.label(), 100 * m.share(mode)));
        }
        return sb.toString();
    }
}
