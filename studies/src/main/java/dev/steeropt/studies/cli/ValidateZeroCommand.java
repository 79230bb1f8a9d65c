package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.steering.ZeroCheckFault;
import dev.steeropt.core.steering.ZeroSteeringCheck;
import dev.steeropt.core.steering.ZeroSteeringReport;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.core.tokenizer.TokenizerException;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Gsm8k;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt validate-zero [--model M] [--prompt TEXT... | --input-ids FILE.json | --dataset gsm8k --n N]}: runs
 * {@link ZeroSteeringCheck} (every method at strength 0 through its real hooks, at every position mode, batch sizes 1
 * and &gt; 1, greedy and sampled, with and without prompt prefix reuse; non-zero controls) and exits 1 if any row fails.
 * Without {@code --model} it checks {@value DemoModel#DEFAULT_NAME}; without a prompt source it uses
 * {@value #DEFAULT_PROMPTS} prompts of different lengths from the model's own world (see {@link DefaultPrompts}).
 */
@Command(name = "validate-zero", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that steering at strength 0, run through the real steering hooks, reproduces the unsteered"
                + " run bit for bit (tokens and every step's logits): CAA at every position mode, DAC (alpha_max 0) and"
                + " seed-compatible DAC; batch 1 and a padded batch; greedy and sampled; with and without prompt prefix"
                + " reuse. Each row reports its hook calls (0 fails it) and DAC its alpha_t trace. Controls: non-zero"
                + " steering must differ, and a steered batch must equal each prompt steered alone.",
            "Default model: " + DemoModel.DEFAULT_NAME + " (embedded). Default prompts: demo problems of difficulty"
                + " 1-4 for the demo"
                + " model, else the first GSM8K test questions (from --data-dir, downloaded unless --offline).",
            "Exit code 0 when every row passes, 1 on any failure."})
public final class ValidateZeroCommand implements Callable<Integer> {
    /** Prompts of the default set. */
    static final int DEFAULT_PROMPTS = 4;

    @Mixin
    VerbosityMixin verbosity;

    @Mixin
    DataOptions data;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = ModelReference.LABEL, defaultValue = DemoModel.DEFAULT_NAME,
            description = ModelReference.HELP + " (default: ${DEFAULT-VALUE}).")
    ModelReference model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt (repeatable); tokenised with special tokens.")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--input-ids", paramLabel = "FILE.json", description = "Token ids as a JSON array of arrays.")
    Path inputIds;

    @Option(names = "--dataset", paramLabel = "NAME", description = "gsm8k: the first --n test questions, zero-shot CoT prompts.")
    DatasetName dataset;

    @Option(names = "--n", defaultValue = "4", description = "Dataset prompts (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--max-new-tokens", defaultValue = "16", description = "Tokens per prompt (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--vector", paramLabel = "FILE", description = "Steering vector (safetensors, one F32 [d_model] tensor);"
            + " default: a seeded random unit vector.")
    Path vectorFile;

    @Option(names = "--layer", paramLabel = "L", description = "Layer of the vector (default: its metadata, else n_layers/2).")
    Integer layer;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random unit vector and of the sampled rows"
            + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text: a table with per-row hook calls; json: {\"rows\": [...], \"passed\": ...} (default: ${DEFAULT-VALUE}).")
    TextFormat format;

    @Option(names = "--inject-fault", hidden = true, paramLabel = "FAULT",
            description = "Self-test only: constant-shift, skipped-hook, zero-shortcut or wrong-row, injected into the"
                    + " steered arms so that the check must fail.")
    String injectFault;

    @Override
    public Integer call() {
        int sources = (prompts.isEmpty() ? 0 : 1) + (inputIds == null ? 0 : 1) + (dataset == null ? 0 : 1);
        if (sources > 1) {
            throw UserFacingException.usage("validate-zero takes one prompt source, got " + sources,
                    "the check compares runs on one fixed batch", "Pass --prompt TEXT (repeatable), --input-ids FILE.json,"
                            + " --dataset gsm8k --n N, or none for the default prompts.");
        }
        if (maxNewTokens < 1) {
            throw UserFacingException.usage("--max-new-tokens must be >= 1, got " + maxNewTokens, null, null);
        }
        boolean json = format == TextFormat.JSON;
        ZeroCheckFault fault;
        try {
            fault = injectFault == null ? ZeroCheckFault.NONE : ZeroCheckFault.parse(injectFault);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("--inject-fault: " + e.getMessage(), null, null);
        }
        Path dir = model.resolve();
        LoadedModel m;
        try {
            m = LoadedModel.load(dir);
        } catch (ModelLoadException e) {
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
        try (LoadedModel loaded = m) {
            Batch batch = batch(loaded, dir);
            SteeringVector vector = vector(loaded);
            ZeroSteeringReport report;
            try {
                report = ZeroSteeringCheck.run(loaded, batch.prompts(), vector, new ZeroSteeringCheck.Settings(maxNewTokens, seed, fault));
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
            PrintWriter out = spec.commandLine().getOut();
            String vectorName = vectorFile == null ? "random unit, seed " + seed : vectorFile.toString();
            if (json) {
                out.println(SteeringJson.zeroReport(report, dir, batch, vector.layer(), vectorName));
            } else {
                out.printf(Locale.ROOT, "model %s, %d prompts (%s; token lengths %s), %d new tokens, vector layer %d (%s)%n",
                        model instanceof ModelReference.Demo ? model + " (embedded, " + dir + ")" : dir,
                        batch.prompts().batchSize(), batch.source(),
                        Arrays.toString(batch.prompts().promptLengths()), maxNewTokens, vector.layer(), vectorName);
                if (fault != ZeroCheckFault.NONE) {
                    out.println("self-test: fault " + fault.cliName() + " injected into the steered arms");
                }
                out.print(report.table());
                long hooks = report.rows().stream().mapToLong(ZeroSteeringReport.Row::hookCalls).sum();
                out.println(report.passed() ? "PASS: " + report.rows().size() + " rows, " + hooks + " steering hook calls:"
                        + " strength 0 through the hooks reproduces the plain run bit for bit; the controls behave"
                        : "FAIL: " + report.failures() + " of " + report.rows().size() + " rows failed");
            }
            out.flush();
            return report.passed() ? 0 : UserFacingException.RUNTIME;
        }
    }

    /** The checked prompts and where they came from. */
    record Batch(PromptBatch prompts, String source) {}

    private Batch batch(LoadedModel m, Path dir) {
        if (inputIds == null && prompts.isEmpty() && dataset == null) {
            DefaultPrompts d = DefaultPrompts.forModel(dir, data, DEFAULT_PROMPTS);
            return new Batch(encode(dir, d.texts()), d.source());
        }
        if (inputIds != null) {
            List<int[]> rows = new ArrayList<>();
            try {
                JsonNode root = new ObjectMapper().readTree(inputIds.toFile());
                if (root == null || !root.isArray() || root.isEmpty()) {
                    throw UserFacingException.usage("--input-ids " + inputIds + " is not a non-empty JSON array of arrays", null,
                            "Write e.g. [[1, 2, 3], [4, 5]].");
                }
                for (JsonNode row : root) {
                    int[] ids = new int[row.size()];
                    for (int i = 0; i < ids.length; i++) {
                        if (!row.get(i).canConvertToInt() || row.get(i).asInt() < 0 || row.get(i).asInt() >= m.config().vocabSize()) {
                            throw UserFacingException.usage("--input-ids " + inputIds + " holds " + row.get(i) + ", not a token id",
                                    "ids must be integers in 0.." + (m.config().vocabSize() - 1), null);
                        }
                        ids[i] = row.get(i).asInt();
                    }
                    rows.add(ids);
                }
            } catch (IOException e) {
                throw UserFacingException.usage("Cannot read --input-ids " + inputIds, e.getMessage(), "Pass a JSON file.");
            }
            try {
                return new Batch(PromptBatch.leftPad(rows, 0), "--input-ids " + inputIds);
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
        }
        List<String> texts = new ArrayList<>(prompts);
        if (dataset != null) {
            if (dataset != DatasetName.GSM8K) {
                throw UserFacingException.usage("validate-zero cannot take prompts from --dataset " + dataset,
                        "it reads GSM8K test questions only", "Use --dataset gsm8k, or --prompt TEXT.");
            }
            if (n < 1) {
                throw UserFacingException.usage("--n must be >= 1, got " + n, null, null);
            }
            List<Problem> items = Gsm8k.load(data.ensure(DatasetName.GSM8K, "test"), Gsm8k.Split.TEST);
            PromptVariant variant = PromptVariants.zeroShotCot();
            for (Problem p : items.subList(0, Math.min(n, items.size()))) {
                texts.add(variant.render(p));
            }
        }
        return new Batch(encode(dir, texts), dataset != null ? "gsm8k test questions" : "--prompt");
    }

    private static PromptBatch encode(Path dir, List<String> texts) {
        try (Tokenizer tok = Tokenizer.load(dir)) {
            List<int[]> rows = new ArrayList<>();
            for (String t : texts) {
                int[] ids = tok.encode(t, true);
                if (ids.length == 0) {
                    throw UserFacingException.usage("prompt '" + t + "' tokenises to nothing", null, "Pass a non-empty prompt.");
                }
                rows.add(ids);
            }
            return PromptBatch.leftPad(rows, tok.padId().orElse(0));
        } catch (TokenizerException e) {
            throw UserFacingException.usage(e.getMessage(), null, "Use --input-ids to pass token ids directly.");
        }
    }

    private SteeringVector vector(LoadedModel m) {
        int layers = m.config().numLayers();
        int d = m.config().hiddenSize();
        SteeringVector v;
        try {
            if (vectorFile != null) {
                v = layer == null ? SteeringVector.load(vectorFile) : SteeringVector.load(vectorFile, layer);
            } else {
                SplittableRandom r = new SplittableRandom(seed);
                float[] x = new float[d];
                double s = 0;
                for (int i = 0; i < d; i++) {
                    x[i] = (float) r.nextGaussian();
                    s += x[i] * (double) x[i];
                }
                for (int i = 0; i < d; i++) {
                    x[i] = (float) (x[i] / Math.sqrt(s));
                }
                v = SteeringVector.of(layer == null ? layers / 2 : layer, x, Map.of(SteeringVector.KEY_METHOD, "random_unit"));
            }
        } catch (IllegalArgumentException | ModelLoadException e) {
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
        if (v.layer() >= layers || v.dimension() != d) {
            throw UserFacingException.usage("The steering vector (layer " + v.layer() + ", " + v.dimension() + " values) does not fit"
                    + " this model", "it has " + layers + " layers and d_model " + d, "Pass a vector built for this model, or --layer.");
        }
        return v;
    }
}
