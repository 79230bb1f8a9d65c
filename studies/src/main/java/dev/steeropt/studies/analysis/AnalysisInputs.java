package dev.steeropt.studies.analysis;

import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.cli.DataOptions;
import dev.steeropt.studies.cli.ModelReference;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.store.StorageUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every {@code analyze} command shares (a picocli mixin), and {@link #open} that turns them into an
 * {@link AnalysisRun}. Options a command may not use are separate mixins: {@link Versus} ({@code --versus B}),
 * {@link Contrast} ({@code --pairs}) and {@link Units} ({@code --alpha-units}).
 */
public final class AnalysisInputs {
    @Option(names = {"--model", "--target-model"}, paramLabel = ModelReference.LABEL,
            defaultValue = DemoModel.DEFAULT_NAME, description = "Model A (--target-model in analyze patch). " + ModelReference.HELP + " (default: ${DEFAULT-VALUE}).")
    ModelReference model;

    @Option(names = "--layers", paramLabel = "SPEC", defaultValue = "all", converter = LayerSpecConverter.class,
            description = "Decoder blocks: all, a-b or a,b,c (0-based; the embedding is not a layer; default:"
                    + " ${DEFAULT-VALUE}).")
    LayerSpec layers;

    @Option(names = "--dataset", defaultValue = "synthetic", paramLabel = "synthetic|gsm8k|math500",
            description = "Items (default: ${DEFAULT-VALUE}).")
    DatasetName dataset;

    @Option(names = "--n", paramLabel = "N", defaultValue = "100", description = "Items evaluated (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--n-train", paramLabel = "N", defaultValue = "64",
            description = "Train items that directions, means and probes are fit on (default: ${DEFAULT-VALUE}).")
    int nTrain;

    @Option(names = "--split", paramLabel = "train|validation|test", defaultValue = "validation",
            converter = SplitConverter.class, description = "Split evaluated (default: ${DEFAULT-VALUE}); fitting"
                    + " always uses train. test is evaluated once per dataset and storage.")
    EvalSplit split;

    @Option(names = "--allow-test", description = "Evaluate --split test although this storage already did (recorded).")
    boolean allowTest;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the items and the split"
            + " draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--prompt-format", paramLabel = "KIND", description = "zero-shot-cot, k-shot, chat or question-answer"
            + " (default: question-answer for a demo model, else zero-shot-cot).")
    PromptKind prompt;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Generated tokens per item (default: "
            + AnalysisRun.DEMO_MAX_NEW_TOKENS + " for a demo model, else " + AnalysisRun.MAX_NEW_TOKENS + ").")
    Integer maxNewTokens;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory: JSON, PNG (default:"
            + " runs/analyze-<command>).")
    Path out;

    @Option(names = "--storage", paramLabel = "URL", description = "Study database: sweeps, and the record of test"
            + " evaluations (default: sqlite:///<out>/analysis.db).")
    String storage;

    @Mixin
    DataOptions data;

    /** {@code --versus B}: a second model of the same shape. */
    public static final class Versus {
        @Option(names = {"--versus", "--source-model"}, paramLabel = ModelReference.LABEL,
                description = "Model B, of A's width and depth (cross-model analysis; --source-model in analyze patch).")
        ModelReference versus;

        /** The reference, or null when not given. */
        public ModelReference reference() {
            return versus;
        }
    }

    /** {@code --pairs}: the contrast. */
    public static final class Contrast {
        @Option(names = "--pairs", paramLabel = "NAME", description = "Contrast: gold_vs_corrupted_answer,"
                + " answer_off_by_one, careful_vs_hasty or reasoning_vs_control (the prompt against '"
                + PairBuilder.CONTROL_INSTRUCTION + "' on the same question) (default: careful_vs_hasty for a demo"
                + " model, else gold_vs_corrupted_answer).")
        PairBuilder pairs;

        /** The contrast, with the per-model default. */
        public PairBuilder resolve(boolean demo) {
            return pairs != null ? pairs : demo ? PairBuilder.CAREFUL_VS_HASTY : PairBuilder.GOLD_VS_CORRUPTED_ANSWER;
        }
    }

    /** {@code --alpha-units}: what one unit of strength means. */
    public static final class Units {
        @Option(names = "--alpha-units", paramLabel = "raw|mean_residual_norm", defaultValue = "raw",
                converter = AlphaUnitsConverter.class, description = "Strength units: raw (strength -1 of a"
                        + " cross-model direction moves A's mean onto B's) or mean_residual_norm (the unit direction"
                        + " times the layer's mean residual norm, as in optimize) (default: ${DEFAULT-VALUE}).")
        AlphaUnits units;

        /** The units. */
        public AlphaUnits units() {
            return units;
        }
    }

    /** The model A reference. */
    public ModelReference model() {
        return model;
    }

    /** {@code --seed}: of the items, the split draw and anything else a command draws (e.g. corrupted questions). */
    public long seed() {
        return seed;
    }

    /** {@code --layers}. */
    public LayerSpec layers() {
        return layers;
    }

    /** The output directory of {@code command}. */
    public Path outDir(String command) {
        return (out != null ? out : Path.of("runs", "analyze-" + command)).toAbsolutePath().normalize();
    }

    /** The storage URL of {@code command}'s run. */
    public StorageUrl storage(String command) {
        String s = storage != null ? storage : "sqlite:///" + outDir(command).resolve("analysis.db");
        try {
            return StorageUrl.parse(s);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage(e.getMessage(), null, "Pass sqlite:///PATH or postgresql://HOST/DB.");
        }
    }

    /**
     * Loads model A (and B when {@code versus} is not null), draws the items and creates the output directory; claims
     * the test split first when it is evaluated ({@link TestSplitGuard}).
     *
     * @param command the subcommand's name, for defaults and records
     */
    public AnalysisRun open(String command, ModelReference versus, PrintWriter out, PrintWriter err) {
        return AnalysisRun.open(this, command, versus, out, err);
    }

    /**
     * {@link #open} for a command that fits on the train split and evaluates no other split ({@code directions},
     * {@code probes}): {@code --split test} is refused, since it would record a test evaluation that never happened.
     *
     * @throws UserFacingException (usage) for {@code --split test}
     */
    public AnalysisRun openTrainOnly(String command, ModelReference versus, PrintWriter out, PrintWriter err) {
        if (split == EvalSplit.TEST) {
            throw UserFacingException.usage("analyze " + command + " reads only the train split; --split test was given",
                    "it evaluates no split, and --split test would record a test evaluation of "
                            + dataset.cliName() + " that never happened", "Drop --split (and --allow-test).");
        }
        return open(command, versus, out, err);
    }

    static final class LayerSpecConverter implements picocli.CommandLine.ITypeConverter<LayerSpec> {
        @Override
        public LayerSpec convert(String value) {
            try {
                return LayerSpec.parse(value);
            } catch (UserFacingException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SplitConverter implements picocli.CommandLine.ITypeConverter<EvalSplit> {
        @Override
        public EvalSplit convert(String value) {
            try {
                return EvalSplit.parse(value);
            } catch (UserFacingException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class AlphaUnitsConverter implements picocli.CommandLine.ITypeConverter<AlphaUnits> {
        @Override
        public AlphaUnits convert(String value) {
            String v = value == null ? "" : value.strip().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
            for (AlphaUnits u : AlphaUnits.values()) {
                if (u.name().equals(v)) {
                    return u;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("Unknown --alpha-units '" + value + "' (known: raw,"
                    + " mean_residual_norm). Pick one of them");
        }
    }
}
