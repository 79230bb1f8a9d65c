package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.steering.ZeroSteeringCheck;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.core.tokenizer.TokenizerException;
import dev.steeropt.errors.UserFacingException;
import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Gsm8k;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.prompts.PromptVariant;
import dev.steeropt.eval.prompts.PromptVariants;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code steeropt validate-zero --model DIR (--prompt TEXT... | --input-ids FILE.json | --dataset gsm8k --n N)}: runs
 * {@link ZeroSteeringCheck} in the production configuration and exits 1 if any method at strength 0 differs from the
 * baseline (or the non-zero control row does not).
 */
@Command(name = "validate-zero", mixinStandardHelpOptions = true,
        description = {"Check that steering at strength 0 reproduces the unsteered run bit for bit (tokens and logits),"
                + " batched with the KV cache, for CAA at every position mode and for DAC; a non-zero control row must differ.",
            "Exit code 0 when every row passes, 1 on any mismatch."})
public final class ValidateZeroCommand implements Callable<Integer> {

    @Mixin
    VerbosityMixin verbosity;

    @Mixin
    DataOptions data;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory.")
    Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt (repeatable); tokenised with special tokens.")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--input-ids", paramLabel = "FILE.json", description = "Token ids as a JSON array of arrays.")
    Path inputIds;

    @Option(names = "--dataset", paramLabel = "NAME", description = "gsm8k: the first --n test questions, zero-shot CoT prompts.")
    String dataset;

    @Option(names = "--n", defaultValue = "4", description = "Dataset prompts (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--max-new-tokens", defaultValue = "16", description = "Greedy tokens per prompt (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--vector", paramLabel = "FILE", description = "Steering vector (safetensors, one F32 [d_model] tensor);"
            + " default: a seeded random unit vector.")
    Path vectorFile;

    @Option(names = "--layer", paramLabel = "L", description = "Layer of the vector (default: its metadata, else n_layers/2).")
    Integer layer;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random unit vector (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--inject-fault", hidden = true, paramLabel = "EPS",
            description = "Self-test only: add EPS to the steered arms' residual even at strength 0, so the check must fail.")
    Float injectFault;

    @Override
    public Integer call() {
        int sources = (prompts.isEmpty() ? 0 : 1) + (inputIds == null ? 0 : 1) + (dataset == null ? 0 : 1);
        if (sources != 1) {
            throw UserFacingException.usage("validate-zero needs exactly one prompt source, got " + sources,
                    "the check compares runs on one fixed batch", "Pass --prompt TEXT (repeatable), --input-ids FILE.json, or"
                            + " --dataset gsm8k --n N.");
        }
        if (maxNewTokens < 1) {
            throw UserFacingException.usage("--max-new-tokens must be >= 1, got " + maxNewTokens, null, null);
        }
        LoadedModel m;
        try {
            m = LoadedModel.load(model);
        } catch (ModelLoadException e) {
            throw UserFacingException.usage(e.getMessage(), null, null);
        }
        try (LoadedModel loaded = m) {
            PromptBatch batch = batch(loaded);
            SteeringVector vector = vector(loaded);
            ZeroSteeringCheck.Report report;
            try {
                report = ZeroSteeringCheck.run(loaded, batch, vector, maxNewTokens, true,
                        injectFault == null ? dev.steeropt.core.steering.SteeredGeneration::generate
                                : ZeroSteeringCheck.faultInjecting(injectFault));
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "model %s, %d prompts (padded width %d), %d new tokens, vector layer %d (%s)%n", model,
                    batch.batchSize(), batch.width(), maxNewTokens, vector.layer(),
                    vectorFile == null ? "random unit, seed " + seed : vectorFile.toString());
            out.print(report.table());
            long bad = report.rows().stream().filter(r -> !r.passed()).count();
            out.println(bad == 0 ? "PASS: strength 0 reproduces the baseline bit for bit; the control row differs"
                    : "FAIL: " + bad + " of " + report.rows().size() + " rows mismatched");
            out.flush();
            return bad == 0 ? 0 : UserFacingException.RUNTIME;
        }
    }

    private PromptBatch batch(LoadedModel m) {
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
                return PromptBatch.leftPad(rows, 0);
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
        }
        List<String> texts = new ArrayList<>(prompts);
        if (dataset != null) {
            if (!dataset.equalsIgnoreCase("gsm8k")) {
                throw UserFacingException.usage("Unknown --dataset '" + dataset + "'", null, "Use gsm8k.");
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
        try (Tokenizer tok = Tokenizer.load(model)) {
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
