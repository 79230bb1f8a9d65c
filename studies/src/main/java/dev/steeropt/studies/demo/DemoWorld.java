package dev.steeropt.studies.demo;

import dev.steeropt.core.train.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo world: a shared base model and two fine-tunes of it that differ only in how often their training answers
 * take the hasty shortcut, written as {@code DIR/base}, {@code DIR/demo-careful} and {@code DIR/demo-hasty} (each an
 * ordinary Hugging Face Llama directory with its own {@value DemoModelTraining#MANIFEST}).
 *
 * <p>The base is trained from scratch on careful answers only (the {@value DemoData#BASE_SPLIT} split), or copied from
 * an existing base; each fine-tune starts from the base's weights and trains on its own split's problems
 * ({@value #CAREFUL_SPLIT}, {@value #HASTY_SPLIT}) with its own hasty share, so no two models share a training
 * question by construction of the split names, and each manifest lists every data set its weights saw.
 */
public final class DemoWorld {
    /** Directory and model name of the base. */
    public static final String BASE = "base";
    /** Directory and model name of the careful fine-tune. */
    public static final String CAREFUL = "demo-careful";
    /** Directory and model name of the hasty fine-tune. */
    public static final String HASTY = "demo-hasty";
    /** Generator split of the careful fine-tune's data. */
    public static final String CAREFUL_SPLIT = "tune_careful";
    /** Generator split of the hasty fine-tune's data. */
    public static final String HASTY_SPLIT = "tune_hasty";
    /** Default hasty share of the careful fine-tune's answers. */
    public static final double DEFAULT_CAREFUL_HASTY_SHARE = 0.1;
    /** Default hasty share of the hasty fine-tune's answers. */
    public static final double DEFAULT_HASTY_HASTY_SHARE = 0.55;
    /** Default fine-tune steps. */
    public static final int DEFAULT_TUNE_STEPS = 300;

    private static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", DemoModelTraining.MANIFEST);

    private DemoWorld() {}

    /**
     * How to build the world.
     *
     * @param baseConfig        the base's shape and schedule (the fine-tunes keep its shape)
     * @param weights           difficulty weights of every model's data
     * @param baseFrom          an existing base to copy instead of training one, or null
     * @param tuneSteps         steps of each fine-tune
     * @param tuneMillis        time budget of each fine-tune, 0 for none
     * @param carefulHastyShare hasty share of demo-careful's answers
     * @param hastyHastyShare   hasty share of demo-hasty's answers
     * @param perDifficulty     validation items per difficulty for each model
     */
    public record Options(TrainConfig baseConfig, double[] weights, Path baseFrom, int tuneSteps, long tuneMillis,
            double carefulHastyShare, double hastyHastyShare, int perDifficulty, int threads) {}

    /** The three models' reports, by name ({@link #BASE} is null when the base was copied). */
    public record Report(Map<String, DemoModelTraining.Report> models) {}

    /** The fine-tunes' schedule: the base's shape, peak 5e-4 after 20 warm-up steps, cosine to 5e-5. */
    public static TrainConfig tuneConfig(TrainConfig base, int steps, long millis, long seed) {
        return new TrainConfig(base.hiddenSize(), base.numLayers(), base.numHeads(), base.intermediateSize(),
                base.maxPositions(), base.ropeTheta(), base.batchSize(), steps, millis, 5e-4, 5e-5,
                Math.min(20, steps), base.weightDecay(), base.gradClip(), seed);
    }

    /** Builds base, demo-careful and demo-hasty under {@code out}. */
    public static Report build(Options o, Path out, PrintWriter progress) {
        Map<String, DemoModelTraining.Report> reports = new LinkedHashMap<>();
        Path base = out.resolve(BASE);
        long seed = o.baseConfig().seed();
        if (o.baseFrom() != null) {
            copyModel(o.baseFrom(), base);
            reports.put(BASE, null);
        } else {
            say(progress, "training " + BASE);
            reports.put(BASE, DemoModelTraining.run(o.baseConfig(), new DemoData(seed, o.weights()), base,
                    o.perDifficulty(), o.threads(), progress));
        }
        TrainConfig tune = tuneConfig(o.baseConfig(), o.tuneSteps(), o.tuneMillis(), seed);
        say(progress, "fine-tuning " + CAREFUL + " (hasty share " + o.carefulHastyShare() + ")");
        reports.put(CAREFUL, DemoModelTraining.run(tune, new DemoData(seed, o.weights(), CAREFUL_SPLIT,
                o.carefulHastyShare()), out.resolve(CAREFUL), o.perDifficulty(), o.threads(), progress, base));
        say(progress, "fine-tuning " + HASTY + " (hasty share " + o.hastyHastyShare() + ")");
        reports.put(HASTY, DemoModelTraining.run(tune, new DemoData(seed, o.weights(), HASTY_SPLIT,
                o.hastyHastyShare()), out.resolve(HASTY), o.perDifficulty(), o.threads(), progress, base));
        return new Report(reports);
    }

    private static void say(PrintWriter progress, String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }

    /** Copies a model directory this command wrote (its files only). */
    private static void copyModel(Path from, Path to) {
        if (!DemoModelTraining.isDemoModel(from)) {
            throw new IllegalArgumentException("'" + from + "' holds no " + DemoModelTraining.MANIFEST + " written by "
                    + DemoModelTraining.PRODUCER);
        }
        try {
            Files.createDirectories(to);
            for (String f : MODEL_FILES) {
                if (Files.isRegularFile(from.resolve(f))) {
                    Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the base model from '" + from + "': " + e.getMessage(), e);
        }
    }
}
