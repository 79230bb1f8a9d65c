package dev.steeropt.studies.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.hooks.ActivationAddition;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.core.runtime.GenerationRequest;
import dev.steeropt.core.runtime.GenerationResult;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.runtime.SamplingParams;
import dev.steeropt.core.steering.AlphaUnits;
import dev.steeropt.core.steering.KlMode;
import dev.steeropt.core.steering.SteeredGeneration;
import dev.steeropt.core.steering.SteeredResult;
import dev.steeropt.core.steering.SteeringMethod;
import dev.steeropt.core.steering.SteeringVector;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.spec.SteerMethod;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt generate}: batched generation with the hookable runtime (default model: {@code demo-hasty}),
 * optionally steered at the output of layer L by CAA ({@code h + α·v}) or DAC ({@code h + α_t·v}, α_t per token and
 * row from {@link SteeredGeneration}'s three KV caches). Text or token ids go to stdout, timing to stderr.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate continuations of one or more prompts, optionally with a steering vector.",
            "Stops a row at an EOS id of generation_config.json or after --max-new-tokens."})
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelInputs in;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "New tokens per row at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Top-k filter, 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed, the same for every row (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steer-vector", paramLabel = "FILE", description = "safetensors file with one F32 tensor [hidden].")
    Path steerVector;

    @Option(names = "--layer", description = "Steered decoder layer (0-based): its output gets alpha * v.")
    Integer layer;

    @Option(names = "--method", defaultValue = "caa", paramLabel = "caa|dac",
            description = "caa: add alpha * v at --positions; dac: per token alpha_t = clip(D_t, 0, alpha_max) from the KL"
                    + " between the unsteered and an alpha_max-steered probe (default: caa).")
    SteerMethod method;

    @Option(names = "--alpha", description = "CAA steering strength, raw units: h + alpha * v (0 = unsteered).")
    Float alpha;

    @Option(names = "--alpha-max", paramLabel = "A", description = "DAC: probe strength and bound of alpha_t, raw units as"
            + " --alpha (h + alpha_t * v).")
    Float alphaMax;

    @Option(names = "--dac-top-p", paramLabel = "P", description = "DAC: nucleus mass of the divergence D_t (default: 0.95).")
    Double dacTopP;

    @Option(names = "--positions", paramLabel = "all|generated|from_last_prompt_token",
            description = "CAA: where the vector is added (default: all). DAC steers the last prompt token and every"
                    + " generated token.")
    String positions;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text: one continuation per row; json: token ids (and text) per row, with DAC its per-token"
                    + " \"dac\": {\"d_t\", \"alpha_t\", \"nucleus_size\"} (default: ${DEFAULT-VALUE}).")
    TextFormat format;

    /** One generated row, whichever path produced it; {@code trace} is DAC's per token (empty otherwise). */
    private record Row(int row, int[] tokens, GenerationResult.FinishReason reason, List<SteeredResult.DacStep> trace) {}

    @Override
    public Integer call() {
        boolean dac = method == SteerMethod.DAC;
        boolean steering = checkSteeringOptions(dac);
        SamplingParams sampling;
        SteerPositions mode;
        try {
            sampling = new SamplingParams(temperature, topP, topK, seed, null);
            mode = SteerPositions.parse(positions == null ? "all" : positions);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage(e.getMessage(), null, "See --help.");
        }
        Path tokDir = in.resolve().resolve("tokenizer.json");
        boolean haveTokenizer = Files.isRegularFile(tokDir);
        if (in.needsTokenizer() && !haveTokenizer) {
            throw UserFacingException.usage("--prompt needs the model's tokenizer.json, which is missing from '" + in.model + "'",
                    null, "Pass --input-ids FILE.json instead.");
        }
        try (LoadedModel model = in.load(); Tokenizer tok = haveTokenizer ? Tokenizer.load(in.model) : null) {
            PromptBatch batch = in.batch(tok);
            float[] v = null;
            if (steering) {
                if (layer < 0 || layer >= model.config().numLayers()) {
                    throw UserFacingException.usage("--layer " + layer + " is out of range",
                            "the model has layers 0.." + (model.config().numLayers() - 1), null);
                }
                v = ModelInputs.readVector(steerVector, model.config().hiddenSize());
            }
            Set<Integer> eos = new LinkedHashSet<>(model.eosTokenIds());
            if (tok != null) {
                for (int id : tok.eosIds()) {
                    eos.add(id);
                }
            }
            List<Row> rows = new ArrayList<>();
            String timing;
            try {
                if (dac) {
                    SteeringMethod.Dac m = new SteeringMethod.Dac(SteeringVector.of(layer, v, Map.of()), alphaMax,
                            dacTopP == null ? SteeringMethod.Dac.DEFAULT_TOP_P : dacTopP, KlMode.REFERENCE, false, AlphaUnits.RAW);
                    SteeredResult r = SteeredGeneration.generate(model, batch, m, new SteeredGeneration.Options(maxNewTokens,
                            sampling, eos, List.of(), null, false));
                    for (SteeredResult.Row s : r.rows()) {
                        rows.add(new Row(s.row(), s.tokens(), s.reason(), s.trace()));
                    }
                    timing = String.format(Locale.ROOT, "generated %d tokens in %.2f s (DAC: unsteered, probe and steered"
                            + " caches)", r.generatedTokens(), r.elapsedNanos() / 1e9);
                } else {
                    HookSet hooks = steering ? ActivationAddition.of(layer, v, alpha, mode).hooks() : HookSet.empty();
                    GenerationResult r = model.generate(GenerationRequest.builder(batch).maxNewTokens(maxNewTokens)
                            .sampling(sampling).stopTokenIds(eos).hooks(hooks).build());
                    for (GenerationResult.Sequence s : r.sequences()) {
                        rows.add(new Row(s.row(), s.tokens(), s.reason(), List.of()));
                    }
                    timing = String.format(Locale.ROOT, "generated %d tokens in %.2f s (prefill %.2f s, decode %.2f s)",
                            r.generatedTokens(), (r.prefillNanos() + r.decodeNanos()) / 1e9, r.prefillNanos() / 1e9,
                            r.decodeNanos() / 1e9);
                }
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
            print(rows, tok, format, dac);
            spec.commandLine().getErr().println(timing);
        }
        return 0;
    }

    /** Rejects options that do not go with the method; true if the run is steered. */
    private boolean checkSteeringOptions(boolean dac) {
        if (dac) {
            if (alpha != null || positions != null) {
                throw UserFacingException.usage((alpha != null ? "--alpha" : "--positions") + " does not apply to --method dac",
                        "DAC's strength is alpha_t <= --alpha-max per token, at the last prompt token and every generated one",
                        "Pass --alpha-max A instead of --alpha, and drop --positions.");
            }
            if (steerVector == null || layer == null || alphaMax == null) {
                throw UserFacingException.usage("--method dac needs --steer-vector, --layer and --alpha-max", null,
                        "Pass all three.");
            }
            return true;
        }
        if (alphaMax != null || dacTopP != null) {
            throw UserFacingException.usage((alphaMax != null ? "--alpha-max" : "--dac-top-p") + " applies to --method dac only",
                    "CAA adds a fixed --alpha * v", "Add --method dac, or pass --alpha for CAA.");
        }
        boolean steering = steerVector != null || layer != null || alpha != null;
        if (steering && (steerVector == null || layer == null || alpha == null)) {
            throw UserFacingException.usage("Steering needs --steer-vector, --layer and --alpha together", null,
                    "Pass all three, or none for unsteered generation.");
        }
        if (!steering && positions != null) {
            throw UserFacingException.usage("--positions applies to steered generation only", null,
                    "Pass --steer-vector, --layer and --alpha too, or drop --positions.");
        }
        return steering;
    }

    private void print(List<Row> rows, Tokenizer tok, TextFormat fmt, boolean dac) {
        PrintWriter out = spec.commandLine().getOut();
        if (fmt == TextFormat.JSON) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            ArrayNode array = root.putArray("rows");
            for (Row s : rows) {
                ObjectNode row = array.addObject();
                row.put("row", s.row());
                ArrayNode ids = row.putArray("tokens");
                for (int id : s.tokens()) {
                    ids.add(id);
                }
                if (tok != null) {
                    row.put("text", tok.decode(s.tokens(), true));
                }
                row.put("finish_reason", s.reason().name().toLowerCase(Locale.ROOT));
                if (dac) {
                    row.set("dac", SteeringJson.dacRow(s.trace()));
                }
            }
            out.println(root.toString());
        } else {
            for (Row s : rows) {
                if (tok != null) {
                    out.println(tok.decode(s.tokens(), true));
                } else {
                    StringBuilder sb = new StringBuilder();
                    for (int id : s.tokens()) {
                        sb.append(sb.length() == 0 ? "" : " ").append(id);
                    }
                    out.println(sb);
                }
            }
        }
        out.flush();
    }
}
