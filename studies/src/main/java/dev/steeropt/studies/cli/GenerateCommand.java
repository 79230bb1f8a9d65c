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
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.errors.UserFacingException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steeropt generate}: batched generation with the hookable runtime, optionally steered by activation addition
 * ({@code h + α·v} at the output of layer L). Text or token ids go to stdout, timing to stderr.
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

    @Option(names = "--alpha", description = "Steering strength (0 = unsteered).")
    Float alpha;

    @Option(names = "--positions", defaultValue = "all", paramLabel = "all|generated|from_last_prompt_token",
            description = "Where the vector is added (default: ${DEFAULT-VALUE}).")
    String positions;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text: one continuation per row; json: token ids (and text) per row (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("text") && !fmt.equals("json")) {
            throw UserFacingException.usage("--format '" + format + "' is not text or json", null, null);
        }
        boolean steering = steerVector != null || layer != null || alpha != null;
        if (steering && (steerVector == null || layer == null || alpha == null)) {
            throw UserFacingException.usage("Steering needs --steer-vector, --layer and --alpha together", null,
                    "Pass all three, or none for unsteered generation.");
        }
        SamplingParams sampling;
        SteerPositions mode;
        try {
            sampling = new SamplingParams(temperature, topP, topK, seed, null);
            mode = SteerPositions.parse(positions);
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
            HookSet hooks = HookSet.empty();
            if (steering) {
                if (layer < 0 || layer >= model.config().numLayers()) {
                    throw UserFacingException.usage("--layer " + layer + " is out of range",
                            "the model has layers 0.." + (model.config().numLayers() - 1), null);
                }
                float[] v = ModelInputs.readVector(steerVector, model.config().hiddenSize());
                hooks = ActivationAddition.of(layer, v, alpha, mode).hooks();
            }
            Set<Integer> eos = new LinkedHashSet<>(model.eosTokenIds());
            if (tok != null) {
                for (int id : tok.eosIds()) {
                    eos.add(id);
                }
            }
            GenerationResult r;
            try {
                r = model.generate(GenerationRequest.builder(batch).maxNewTokens(maxNewTokens).sampling(sampling)
                        .stopTokenIds(eos).hooks(hooks).build());
            } catch (IllegalArgumentException e) {
                throw UserFacingException.usage(e.getMessage(), null, null);
            }
            print(r, tok, fmt);
            spec.commandLine().getErr().printf(Locale.ROOT, "generated %d tokens in %.2f s (prefill %.2f s, decode %.2f s)%n",
                    r.generatedTokens(), (r.prefillNanos() + r.decodeNanos()) / 1e9, r.prefillNanos() / 1e9, r.decodeNanos() / 1e9);
        }
        return 0;
    }

    private void print(GenerationResult r, Tokenizer tok, String fmt) {
        PrintWriter out = spec.commandLine().getOut();
        if (fmt.equals("json")) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            ArrayNode rows = root.putArray("rows");
            for (GenerationResult.Sequence s : r.sequences()) {
                ObjectNode row = rows.addObject();
                row.put("row", s.row());
                ArrayNode ids = row.putArray("tokens");
                for (int id : s.tokens()) {
                    ids.add(id);
                }
                if (tok != null) {
                    row.put("text", tok.decode(s.tokens(), true));
                }
                row.put("finish_reason", s.reason().name().toLowerCase(Locale.ROOT));
            }
            out.println(root.toString());
        } else {
            for (GenerationResult.Sequence s : r.sequences()) {
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
