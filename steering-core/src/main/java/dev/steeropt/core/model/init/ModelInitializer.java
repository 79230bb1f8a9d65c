package dev.steeropt.core.model.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.arch.ArchitectureAdapter;
import dev.steeropt.core.model.arch.ArchitectureRegistry;
import dev.steeropt.core.model.arch.StoredTensor;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.io.PythonJson;
import dev.steeropt.core.model.io.SafetensorsWriter;
import dev.steeropt.core.model.io.JsonProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a randomly initialised checkpoint in Hugging Face's layout (Llama, Qwen2, Qwen3, Gemma 2, Phi-3, OLMo 2,
 * GPT-NeoX), for benchmarks and tests that need a real shape but not real weights. The tensors written are those the
 * architecture's adapter loads ({@link ArchitectureAdapter#storedTensors}), and the config is parsed by that adapter
 * before anything is written, so every checkpoint written here loads.
 *
 * <p>The directory gets {@code config.json} (sorted keys, two-space indent, the keys transformers writes for the
 * architecture), {@code model.safetensors} (F32; every Linear and embedding weight N(0, initializer_range), norms 1
 * (Gemma's {@code 1 + w} norms 0), biases 0, as HF's {@code _init_weights}; no {@code lm_head.weight} when tied), {@code generation_config.json},
 * a byte-level BPE {@code tokenizer.json} with exactly {@code vocab_size} ids, {@code tokenizer_config.json} (with a
 * ChatML chat template) and {@code special_tokens_map.json}.
 *
 * <p>Deterministic: each tensor draws from its own generator seeded by (seed, tensor name), so the same seed gives
 * the same bytes. Weights are generated while the file is written; memory use stays small even for
 * {@code qwen2.5-0.5b} (2 GB of F32).
 *
 * {@snippet :
 * ModelInitializer.Plan plan = ModelInitializer.preset(ModelPreset.SMOLLM2_135M);
 * ModelInitializer.Result r = plan.write(Path.of("/tmp/smollm2-shape"), 42);
 * }
 */
public final class ModelInitializer {

    /** Smallest vocabulary the synthetic tokenizer supports: 256 byte symbols + 3 special tokens. */
    public static final int MIN_VOCAB = 259;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role']"
            + " + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private ModelInitializer() {}

    /**
     * What will be written: the parsed config, the full {@code config.json}, the tensors and the special-token ids.
     *
     * @param model       the config as the architecture's adapter parsed it
     * @param config      config.json's content, keys sorted
     * @param tensors     the tensors of model.safetensors, as the adapter loads them
     * @param specialIds  ids of {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}
     * @param bosId       {@code bos_token_id}
     * @param eosId       {@code eos_token_id} (the id of {@code <|endoftext|>})
     * @param hasBosToken whether {@code tokenizer_config.json} names a {@code bos_token} (Qwen's does not)
     */
    public record Plan(ModelConfig model, Map<String, Object> config, List<StoredTensor> tensors, int[] specialIds,
            int bosId, int eosId, boolean hasBosToken) {

        public Plan {
            Objects.requireNonNull(model, "model");
            config = java.util.Collections.unmodifiableMap(new TreeMap<>(config));
            tensors = List.copyOf(tensors);
            specialIds = specialIds.clone();
        }

        /** Stored parameter count (tied embeddings counted once). */
        public long parameterCount() {
            return tensors.stream().mapToLong(StoredTensor::numel).sum();
        }

        /** One line: architecture class and the main dimensions. */
        public String summary() {
            Object arch = config.get("architectures");
            String name = arch instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : model.modelType();
            return String.format(Locale.ROOT, "%s[H=%d, N=%d, heads=%d/%d, d=%d, I=%d, V=%d, tied=%s]", name,
                    model.hiddenSize(), model.numLayers(), model.numHeads(), model.numKvHeads(), model.headDim(),
                    model.intermediateSize(), model.vocabSize(), model.tieWordEmbeddings());
        }

        /**
         * Writes the checkpoint into {@code outDir} (created if needed; existing files of the same names are
         * replaced).
         *
         * @param seed weights seed
         * @throws UncheckedIOException if a file cannot be written
         */
        public Result write(Path outDir, long seed) {
            return ModelInitializer.write(this, outDir, seed);
        }
    }

    /**
     * What was written.
     *
     * @param directory       the model directory
     * @param shape           its {@link Plan#summary()}
     * @param parameters      stored parameter count
     * @param safetensorBytes size of model.safetensors
     * @param seed            the seed used
     */
    public record Result(Path directory, String shape, long parameters, long safetensorBytes, long seed) {}

    /**
     * A preset shape of a published model.
     *
     * <ul>
     *   <li>{@code smollm2-135m}: Llama, hidden 576, 30 layers, 9 heads / 3 kv heads (head_dim 64), intermediate
     *       1536, vocab 49152, tied, rope_theta 100000, rms_norm_eps 1e-5, max_position_embeddings 8192; special
     *       tokens at ids 0-2 as in SmolLM2.</li>
     *   <li>{@code qwen2.5-0.5b}: Qwen2, hidden 896, 24 layers, 14 heads / 2 kv heads (head_dim 64), intermediate
     *       4864, vocab 151936, tied, rope_theta 1e6, rms_norm_eps 1e-6, q/k/v biases, max_position_embeddings 32768;
     *       special tokens at 151643-151645 as in Qwen2.5.</li>
     *   <li>{@code qwen3-0.6b} ({@code Qwen/Qwen3-0.6B}), {@code gemma-2-2b} ({@code google/gemma-2-2b}),
     *       {@code phi-3-mini} ({@code microsoft/Phi-3-mini-4k-instruct}), {@code olmo-2-1b}
     *       ({@code allenai/OLMo-2-0425-1B}), {@code pythia-160m} ({@code EleutherAI/pythia-160m}): the published
     *       config.json (see {@code PublishedConfigs}); {@code <|endoftext|>} at the published EOS id where there is
     *       one (151643 for Qwen3, 1, 32000, 100257, 0), the other two special tokens after it, and
     *       {@code bos_token_id} = {@code eos_token_id} = that id.</li>
     * </ul>
     */
    public static Plan preset(ModelPreset preset) {
        Objects.requireNonNull(preset, "preset");
        return switch (preset) {
            case SMOLLM2_135M -> {
                ModelShape shape = new ModelShape("llama", 576, 30, 9, 3, 64, 1536, 49152, true, false, false, false,
                        0.02);
                Map<String, Object> c = llamaConfig(shape, 8192, 1e-5, 100000.0, 0, 0);
                yield plan(c, Path.of("smollm2-135m/config.json"), new int[] {0, 1, 2}, true);
            }
            case QWEN2_5_0_5B -> {
                ModelShape shape = new ModelShape("qwen2", 896, 24, 14, 2, 64, 4864, 151936, true, true, false, false,
                        0.02);
                Map<String, Object> c = qwen2Config(shape, 32768, 1e-6, 1000000.0, 151643, 151643);
                yield plan(c, Path.of("qwen2.5-0.5b/config.json"), new int[] {151643, 151644, 151645}, false);
            }
            case QWEN3_0_6B -> plan(PublishedConfigs.qwen3_0_6b(), Path.of("Qwen3-0.6B/config.json"),
                    new int[] {151643, 151644, 151645}, false);
            case GEMMA_2_2B -> plan(PublishedConfigs.gemma2_2b(), Path.of("gemma-2-2b/config.json"), new int[] {1, 2, 3},
                    true);
            case PHI_3_MINI -> plan(PublishedConfigs.phi3Mini(), Path.of("Phi-3-mini-4k-instruct/config.json"),
                    new int[] {32000, 32001, 32002}, true);
            case OLMO_2_1B -> plan(PublishedConfigs.olmo2_1b(), Path.of("OLMo-2-0425-1B/config.json"),
                    new int[] {100257, 100258, 100259}, true);
            case PYTHIA_160M -> plan(PublishedConfigs.pythia160m(), Path.of("pythia-160m/config.json"),
                    new int[] {0, 1, 2}, true);
        };
    }

    /**
     * A shape read from an HF {@code config.json}. For {@code model_type} llama or qwen2, missing keys take
     * transformers' defaults for that type; for qwen3, gemma2, phi3, olmo2 and gpt_neox they take the values of the
     * published preset of that type (Qwen3-0.6B, Gemma-2-2b, Phi-3-mini-4k, OLMo-2-0425-1B, Pythia-160m, including
     * {@code head_dim}, windows and soft-caps), so a small variant names only the dimensions it changes; keys this class does not know are copied to the output config
     * unchanged. {@code bos_token_id} and {@code eos_token_id} are set to the synthetic tokenizer's
     * {@code <|endoftext|>}, placed at {@code vocab_size - 3}.
     *
     * @throws IllegalArgumentException if the file is missing or malformed, or the model type, activation or shape is
     *                                  not supported; the message names the file and the key
     */
    public static Plan fromConfig(Path configJson) {
        Objects.requireNonNull(configJson, "configJson");
        JsonNode node;
        try {
            node = JSON.readTree(Files.readAllBytes(configJson));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("Cannot read '" + configJson + "': the file does not exist. Pass a"
                    + " preset (" + String.join(", ", ModelPreset.names()) + ") or the path of an HF config.json.", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot read '" + configJson + "': malformed JSON ("
                    + JsonProblem.describe(e) + "). Fix the file.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read '" + configJson + "': " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Cannot read '" + configJson + "': expected a JSON object.");
        }
        String type = node.path("model_type").asText("");
        if (PublishedConfigs.MODEL_TYPES.contains(type)) {
            return fromPublished(configJson, node, type);
        }
        if (!type.equals("llama") && !type.equals("qwen2")) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': model_type is \"" + type
                    + "\", but init-model writes only llama, qwen2, " + String.join(", ", PublishedConfigs.MODEL_TYPES)
                    + " checkpoints. Set \"model_type\" to one of those.");
        }
        String act = node.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': hidden_act is \"" + act
                    + "\"; llama and qwen2 use \"silu\". Remove the key or set it to \"silu\".");
        }
        boolean qwen = type.equals("qwen2");
        int hidden = intKey(node, "hidden_size", 4096, configJson);
        int heads = intKey(node, "num_attention_heads", 32, configJson);
        int kvHeads = intKey(node, "num_key_value_heads", heads, configJson);
        int headDim = node.hasNonNull("head_dim") ? intKey(node, "head_dim", 0, configJson) : hidden / heads;
        if (!node.hasNonNull("head_dim") && hidden % heads != 0) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': hidden_size " + hidden
                    + " is not a multiple of num_attention_heads " + heads + " and head_dim is not given. Set"
                    + " \"head_dim\".");
        }
        int vocab = intKey(node, "vocab_size", qwen ? 151936 : 32000, configJson);
        boolean attentionBias = !qwen && node.path("attention_bias").asBoolean(false);
        ModelShape shape;
        try {
            shape = new ModelShape(type, hidden, intKey(node, "num_hidden_layers", 32, configJson), heads, kvHeads,
                    headDim, intKey(node, "intermediate_size", qwen ? 22016 : 11008, configJson), vocab,
                    node.path("tie_word_embeddings").asBoolean(false), qwen || attentionBias, attentionBias,
                    !qwen && node.path("mlp_bias").asBoolean(false), node.path("initializer_range").asDouble(0.02));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': " + e.getMessage()
                    + ". Fix the config.", e);
        }
        int eos = vocab - 3;
        Map<String, Object> base = qwen
                ? qwen2Config(shape, intKey(node, "max_position_embeddings", 32768, configJson),
                        node.path("rms_norm_eps").asDouble(1e-6), node.path("rope_theta").asDouble(10000.0), eos, eos)
                : llamaConfig(shape, intKey(node, "max_position_embeddings", 2048, configJson),
                        node.path("rms_norm_eps").asDouble(1e-6), node.path("rope_theta").asDouble(10000.0), eos,
                        eos);
        Map<String, Object> merged = new TreeMap<>();
        for (var it = node.fields(); it.hasNext(); ) { // keep keys we do not model (rope_scaling, sliding_window...)
            var e = it.next();
            merged.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
        }
        merged.putAll(base);
        if (node.has("rope_scaling")) {
            merged.put("rope_scaling", JSON.convertValue(node.get("rope_scaling"), Object.class));
        }
        try {
            return plan(merged, configJson, new int[] {eos, eos + 1, eos + 2}, !qwen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': " + e.getMessage()
                    + ". Fix the config.", e);
        }
    }

    /**
     * A plan for {@code config}: parsed by the adapter of its {@code model_type} (so a config the runtime would reject
     * is rejected here, before anything is written), its tensors listed by that adapter, special tokens at
     * {@code specialIds} with {@code <|endoftext|>} (the first) as BOS, EOS and, where the config has one, PAD.
     */
    private static Plan plan(Map<String, Object> config, Path source, int[] specialIds, boolean hasBosToken) {
        Map<String, Object> c = new TreeMap<>(config);
        int eos = specialIds[0];
        c.put("bos_token_id", eos);
        c.put("eos_token_id", eos);
        if (c.containsKey("pad_token_id")) {
            c.put("pad_token_id", eos);
        }
        ConfigJson json = ConfigJson.of(source, JSON.valueToTree(c));
        ModelConfig model;
        List<StoredTensor> tensors;
        try {
            ArchitectureAdapter adapter = ArchitectureRegistry.forConfig(json);
            model = adapter.parseConfig(json);
            tensors = adapter.storedTensors(model);
        } catch (ModelLoadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (model.vocabSize() < MIN_VOCAB) {
            throw new IllegalArgumentException("Cannot initialise from '" + source + "': vocab_size " + model.vocabSize()
                    + " is too small: the byte-level tokenizer needs 256 byte symbols plus 3 special tokens, so at least "
                    + MIN_VOCAB + ". Raise \"vocab_size\".");
        }
        for (int id : specialIds) {
            if (id >= model.vocabSize()) {
                throw new IllegalStateException("special token id " + id + " outside vocab_size " + model.vocabSize());
            }
        }
        return new Plan(model, c, tensors, specialIds, eos, eos, hasBosToken);
    }

    /**
     * A config of a type with a published preset ({@code PublishedConfigs}): the published config of that type,
     * overridden key by key by the user's file, so a small variant needs only the dimensions it changes.
     */
    private static Plan fromPublished(Path configJson, JsonNode node, String type) {
        Map<String, Object> merged = new TreeMap<>(PublishedConfigs.forModelType(type));
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            merged.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
        }
        merged.put("torch_dtype", "float32");
        merged.remove("dtype");
        int vocab = intKey(node, "vocab_size", ((Number) merged.get("vocab_size")).intValue(), configJson);
        if (vocab < MIN_VOCAB) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': vocab_size " + vocab
                    + " is too small: the byte-level tokenizer needs 256 byte symbols plus 3 special tokens, so at least "
                    + MIN_VOCAB + ". Raise \"vocab_size\".");
        }
        int eos = vocab - 3;
        try {
            return plan(merged, configJson, new int[] {eos, eos + 1, eos + 2}, !type.equals("qwen3"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot initialise from '" + configJson + "': " + e.getMessage()
                    + ". Fix the config.", e);
        }
    }

    private static int intKey(JsonNode node, String key, int dflt, Path file) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("Cannot initialise from '" + file + "': " + key + " is " + v
                    + "; expected an integer.");
        }
        return v.asInt();
    }

    /** The keys transformers 4.x writes for a LlamaConfig (values for this shape). */
    private static Map<String, Object> llamaConfig(ModelShape s, int maxPositions, double rmsEps, double ropeTheta,
            int bos, int eos) {
        Map<String, Object> c = new TreeMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("attention_bias", s.oBias());
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", bos);
        c.put("eos_token_id", eos);
        c.put("head_dim", s.headDim());
        c.put("hidden_act", "silu");
        c.put("hidden_size", s.hiddenSize());
        c.put("initializer_range", s.initializerRange());
        c.put("intermediate_size", s.intermediateSize());
        c.put("max_position_embeddings", maxPositions);
        c.put("mlp_bias", s.mlpBias());
        c.put("model_type", "llama");
        c.put("num_attention_heads", s.numHeads());
        c.put("num_hidden_layers", s.numLayers());
        c.put("num_key_value_heads", s.numKvHeads());
        c.put("pretraining_tp", 1);
        c.put("rms_norm_eps", rmsEps);
        c.put("rope_scaling", null);
        c.put("rope_theta", ropeTheta);
        c.put("tie_word_embeddings", s.tieWordEmbeddings());
        c.put("torch_dtype", "float32");
        c.put("use_cache", true);
        c.put("vocab_size", s.vocabSize());
        return c;
    }

    /** The keys transformers 4.x writes for a Qwen2Config (values for this shape). */
    private static Map<String, Object> qwen2Config(ModelShape s, int maxPositions, double rmsEps, double ropeTheta,
            int bos, int eos) {
        Map<String, Object> c = new TreeMap<>();
        c.put("architectures", List.of("Qwen2ForCausalLM"));
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", bos);
        c.put("eos_token_id", eos);
        c.put("hidden_act", "silu");
        c.put("hidden_size", s.hiddenSize());
        c.put("initializer_range", s.initializerRange());
        c.put("intermediate_size", s.intermediateSize());
        c.put("max_position_embeddings", maxPositions);
        c.put("max_window_layers", s.numLayers());
        c.put("model_type", "qwen2");
        c.put("num_attention_heads", s.numHeads());
        c.put("num_hidden_layers", s.numLayers());
        c.put("num_key_value_heads", s.numKvHeads());
        c.put("rms_norm_eps", rmsEps);
        c.put("rope_scaling", null);
        c.put("rope_theta", ropeTheta);
        c.put("sliding_window", maxPositions);
        c.put("tie_word_embeddings", s.tieWordEmbeddings());
        c.put("torch_dtype", "float32");
        c.put("use_cache", true);
        c.put("use_sliding_window", false);
        c.put("vocab_size", s.vocabSize());
        return c;
    }

    static Result write(Plan plan, Path outDir, long seed) {
        ModelConfig model = plan.model();
        try {
            Files.createDirectories(outDir);
            writeText(outDir.resolve("config.json"), PythonJson.hfFile(plan.config()));

            Map<String, Object> gen = new TreeMap<>();
            gen.put("_from_model_config", true);
            gen.put("bos_token_id", plan.bosId());
            gen.put("eos_token_id", plan.eosId());
            writeText(outDir.resolve("generation_config.json"), PythonJson.hfFile(gen));

            writeText(outDir.resolve("tokenizer.json"),
                    PythonJson.hfFile(SyntheticByteLevelBpe.tokenizerJson(model.vocabSize(), plan.specialIds())));
            writeText(outDir.resolve("tokenizer_config.json"), PythonJson.hfFile(tokenizerConfig(plan)));
            Map<String, Object> specialMap = new TreeMap<>();
            if (plan.hasBosToken()) {
                specialMap.put("bos_token", SyntheticByteLevelBpe.END_OF_TEXT);
            }
            specialMap.put("eos_token", SyntheticByteLevelBpe.END_OF_TEXT);
            specialMap.put("pad_token", SyntheticByteLevelBpe.END_OF_TEXT);
            specialMap.put("additional_special_tokens",
                    List.of(SyntheticByteLevelBpe.IM_START, SyntheticByteLevelBpe.IM_END));
            writeText(outDir.resolve("special_tokens_map.json"), PythonJson.hfFile(specialMap));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model into '" + outDir + "': " + e.getMessage()
                    + ". Check that the directory is writable and has space.", e);
        }

        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        Object range = plan.config().getOrDefault("initializer_range", 0.02);
        float std = (float) (range instanceof Number n ? n.doubleValue() : 0.02);
        long params = 0;
        for (StoredTensor t : plan.tensors()) {
            params += t.numel();
            switch (t.init()) {
                case NORMAL -> {
                    SplittableRandom rnd = new SplittableRandom(tensorSeed(seed, t.name()));
                    w.addFloats(t.name(), t.shape(), SafetensorsWriter.DType.F32, (buf, n) -> {
                        for (int i = 0; i < n; i++) {
                            buf[i] = (float) rnd.nextGaussian() * std;
                        }
                    });
                }
                case ONES -> w.addFloats(t.name(), t.shape(), SafetensorsWriter.DType.F32,
                        (buf, n) -> java.util.Arrays.fill(buf, 0, n, 1.0f));
                case ZEROS -> w.addFloats(t.name(), t.shape(), SafetensorsWriter.DType.F32,
                        (buf, n) -> java.util.Arrays.fill(buf, 0, n, 0.0f));
                default -> throw new IllegalStateException("init " + t.init());
            }
        }
        long bytes = w.fileSize();
        w.write(outDir.resolve("model.safetensors"));
        return new Result(outDir, plan.summary(), params, bytes, seed);
    }

    private static Map<String, Object> tokenizerConfig(Plan plan) {
        Map<String, Object> c = new TreeMap<>();
        c.put("add_bos_token", false);
        c.put("add_prefix_space", false);
        Map<String, Object> decoder = new LinkedHashMap<>();
        String[] names = {SyntheticByteLevelBpe.END_OF_TEXT, SyntheticByteLevelBpe.IM_START,
            SyntheticByteLevelBpe.IM_END};
        for (int i = 0; i < names.length; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("content", names[i]);
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
            decoder.put(Integer.toString(plan.specialIds()[i]), t);
        }
        c.put("added_tokens_decoder", decoder);
        c.put("additional_special_tokens", List.of(SyntheticByteLevelBpe.IM_START, SyntheticByteLevelBpe.IM_END));
        c.put("bos_token", plan.hasBosToken() ? SyntheticByteLevelBpe.END_OF_TEXT : null);
        c.put("chat_template", CHATML_TEMPLATE);
        c.put("clean_up_tokenization_spaces", false);
        c.put("eos_token", SyntheticByteLevelBpe.END_OF_TEXT);
        c.put("model_max_length", plan.config().get("max_position_embeddings"));
        c.put("pad_token", SyntheticByteLevelBpe.END_OF_TEXT);
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("unk_token", null);
        return c;
    }

    /** A per-tensor seed from (seed, name): FNV-1a over the name's UTF-8, mixed with the seed (SplitMix64). */
    static long tensorSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        long z = seed + 0x9E3779B97F4A7C15L * (h | 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
