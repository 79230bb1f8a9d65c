package dev.steeropt.studies.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.weights.SafetensorsFile;
import dev.steeropt.core.model.weights.TensorInfo;
import dev.steeropt.core.runtime.ComputeDtype;
import dev.steeropt.core.runtime.LoadOptions;
import dev.steeropt.core.runtime.LoadedModel;
import dev.steeropt.core.runtime.PromptBatch;
import dev.steeropt.core.tokenizer.ChatMessage;
import dev.steeropt.core.tokenizer.Tokenizer;
import dev.steeropt.core.model.io.JsonProblem;
import dev.steeropt.studies.demo.DemoModel;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code generate} and {@code activations}: the model ({@link ModelReference}; default
 * {@value DemoModel#DEFAULT_NAME}), the prompt source (text through the model's tokenizer, or a JSON file of
 * left-padded ids), device and dtype.
 */
public final class ModelInputs {
    @Option(names = "--model", paramLabel = ModelReference.LABEL, defaultValue = DemoModel.DEFAULT_NAME,
            description = ModelReference.HELP + " (default: ${DEFAULT-VALUE}).")
    ModelReference reference;

    /** The resolved model folder, set by {@link #resolve()}. */
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--chat", description = "Wrap each --prompt as a user message with the model's chat template.")
    boolean chat;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "float32|float16|bfloat16",
            description = "Compute dtype (default: ${DEFAULT-VALUE}).")
    String dtype;

    static final class Source {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (repeat for a batch).")
        List<String> prompts;

        @Option(names = "--input-ids", paramLabel = "FILE.json",
                description = "{\"input_ids\": [[...]], \"attention_mask\": [[...]]}, left-padded.")
        Path inputIds;
    }

    /** Loads the model with the chosen device and dtype (resolving a hub id first). */
    LoadedModel load() {
        resolve();
        LoadOptions opts;
        try {
            opts = new LoadOptions(LoadOptions.parseDevice(device), ComputeDtype.parse(dtype));
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage(e.getMessage(), null, "See --help for the accepted values.");
        }
        return LoadedModel.load(model, opts);
    }

    /** Resolves {@code --model} to a local folder (a demo model is extracted, a hub id downloaded, once). */
    Path resolve() {
        if (model == null) {
            model = reference.resolve();
        }
        return model;
    }

    /** True when text prompts need the tokenizer. */
    boolean needsTokenizer() {
        return source.prompts != null;
    }

    /** The prompt batch: tokenised text or the ids file. */
    PromptBatch batch(Tokenizer tokenizer) {
        if (source.inputIds != null) {
            if (chat) {
                throw UserFacingException.usage("--chat applies to --prompt text only", null,
                        "Apply the chat template before writing --input-ids, or pass --prompt.");
            }
            return readIds(source.inputIds);
        }
        List<int[]> rows = new ArrayList<>();
        for (String p : source.prompts) {
            rows.add(chat ? tokenizer.encodeChat(List.of(ChatMessage.user(p)), true) : tokenizer.encode(p, true));
        }
        for (int[] r : rows) {
            if (r.length == 0) {
                throw UserFacingException.usage("A --prompt encodes to no tokens", "the text is empty and the tokenizer adds no BOS",
                        "Pass a non-empty prompt.");
            }
        }
        int pad = tokenizer.padId().orElse(0);
        return PromptBatch.leftPad(rows, pad);
    }

    /** Reads {@code {"input_ids": [[...]], "attention_mask": [[...]]}}; a missing mask means all ones. */
    public static PromptBatch readIds(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw UserFacingException.usage("Cannot read --input-ids '" + file + "'",
                    e instanceof JsonProcessingException j ? JsonProblem.describe(j) : e.toString(),
                    "Pass a JSON file {\"input_ids\": [[...]], \"attention_mask\": [[...]]}.", e);
        }
        JsonNode ids = root == null ? null : root.get("input_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || !ids.get(0).isArray()) {
            throw UserFacingException.usage("--input-ids '" + file + "' has no \"input_ids\" list of rows", null,
                    "Write {\"input_ids\": [[1, 2, 3]], \"attention_mask\": [[1, 1, 1]]}.");
        }
        int[][] idRows = ints(ids, "input_ids");
        int[][] mask;
        JsonNode m = root.get("attention_mask");
        if (m == null || m.isNull()) {
            mask = new int[idRows.length][];
            for (int b = 0; b < idRows.length; b++) {
                mask[b] = new int[idRows[b].length];
                java.util.Arrays.fill(mask[b], 1);
            }
        } else {
            mask = ints(m, "attention_mask");
        }
        try {
            return PromptBatch.of(idRows, mask);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("--input-ids '" + file + "' is not a valid batch", e.getMessage(),
                    "Left-pad every row to the same length; mask 0 for pads, 1 for tokens.");
        }
    }

    private static int[][] ints(JsonNode rows, String field) {
        if (!rows.isArray()) {
            throw UserFacingException.usage("--input-ids \"" + field + "\" is " + rows.getNodeType().toString().toLowerCase(
                    java.util.Locale.ROOT), "it must be a list of rows", "Write e.g. \"" + field + "\": [[1, 2, 3]].");
        }
        int[][] out = new int[rows.size()][];
        for (int b = 0; b < out.length; b++) {
            JsonNode row = rows.get(b);
            if (!row.isArray()) {
                throw UserFacingException.usage("--input-ids \"" + field + "\" row " + b + " is " + row, "it must be a list"
                        + " of integers", "Write e.g. \"" + field + "\": [[1, 2, 3]].");
            }
            out[b] = new int[row.size()];
            for (int t = 0; t < out[b].length; t++) {
                if (!row.get(t).isIntegralNumber() || !row.get(t).canConvertToInt()) {
                    throw UserFacingException.usage("--input-ids value [" + b + "][" + t + "] is " + row.get(t), "not an integer",
                            "Write token ids as integers.");
                }
                out[b][t] = row.get(t).asInt();
            }
        }
        return out;
    }

    /** Reads a steering vector: a safetensors file with exactly one floating-point tensor of shape [hidden]. */
    static float[] readVector(Path file, int hidden) {
        if (!Files.isRegularFile(file)) {
            throw UserFacingException.usage("--steer-vector '" + file + "' does not exist", null, "Pass a safetensors file.");
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            if (f.tensors().size() != 1) {
                throw UserFacingException.usage("--steer-vector '" + file + "' holds " + f.tensors().size() + " tensors "
                        + f.tensors().keySet(), "it must hold exactly one", "Write one F32 tensor of shape [" + hidden + "].");
            }
            TensorInfo t = f.tensors().values().iterator().next();
            long[] shape = t.shape();
            if (shape.length != 1 || shape[0] != hidden || !t.dtype().isWeightType()) {
                throw UserFacingException.usage("--steer-vector tensor " + t, "the model's hidden size is " + hidden,
                        "Write one F32 tensor of shape [" + hidden + "].");
            }
            float[] v = f.readFloats(t.name());
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw UserFacingException.usage("--steer-vector '" + file + "' holds " + v[i] + " at index " + i,
                            "steering adds alpha * v to the residual stream, so every value must be finite",
                            "Build the vector again.");
                }
            }
            return v;
        } catch (ModelLoadException e) {
            throw UserFacingException.usage("--steer-vector '" + file + "' is not a valid safetensors file", e.getMessage(), null);
        }
    }
}
