package dev.steeropt.core.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.io.JsonProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Hugging Face fast tokenizer loaded from a model directory: {@code tokenizer.json} through DJL's binding of the
 * Rust {@code tokenizers} library, plus {@code tokenizer_config.json} (special tokens, chat template) and
 * {@code generation_config.json} (stop ids).
 *
 * <p>Encoding matches {@code tokenizers.Tokenizer.encode(text, add_special_tokens=...)} exactly: DJL's own defaults
 * (truncation to 512 tokens, padding, lower-casing, accent stripping and prefix spaces read from
 * {@code tokenizer_config.json}) are all switched off, so only {@code tokenizer.json}'s pipeline applies. Special
 * tokens written in the text (e.g. {@code "<|endoftext|>"}) are recognised as such, as in transformers.
 *
 * <p>Owns a native handle: {@link #close()} it. Encoding and decoding are thread-safe.
 *
 * {@snippet :
 * try (Tokenizer tok = Tokenizer.load(Path.of("models/SmolLM2-135M"))) {
 *     int[] ids = tok.encode("Hello world", true);      // BOS prepended if the post-processor says so
 *     String text = tok.decode(ids, true);              // "Hello world"
 *     EncodedBatch batch = tok.encodeBatch(List.of("a", "longer text"), true); // left-padded with padId()
 * }
 * }
 */
public final class Tokenizer implements AutoCloseable {

    /** File names read from a model directory. */
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
    public static final String GENERATION_CONFIG_JSON = "generation_config.json";
    public static final String CONFIG_JSON = "config.json";
    public static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer hf;
    private final Path directory;
    private final int vocabSize;
    private final Map<String, Integer> tokenIds;
    private final Set<Integer> specialIds;
    private final String bosToken;
    private final String eosToken;
    private final OptionalInt bosId;
    private final int[] eosIds;
    private final OptionalInt padId;
    private final ChatTemplate chatTemplate;

    private Tokenizer(HuggingFaceTokenizer hf, Path directory, int vocabSize, Map<String, Integer> tokenIds,
            Set<Integer> specialIds, String bosToken, String eosToken, OptionalInt bosId, int[] eosIds,
            OptionalInt padId, ChatTemplate chatTemplate) {
        this.hf = hf;
        this.directory = directory;
        this.vocabSize = vocabSize;
        this.tokenIds = tokenIds;
        this.specialIds = specialIds;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.bosId = bosId;
        this.eosIds = eosIds;
        this.padId = padId;
        this.chatTemplate = chatTemplate;
    }

    /**
     * Loads the tokenizer of a Hugging Face model directory.
     *
     * <p>Reads {@code tokenizer.json} (required), and when present {@code tokenizer_config.json},
     * {@code chat_template.jinja}, {@code generation_config.json} and {@code config.json}. Special tokens:
     * {@code bos_token}/{@code eos_token}/{@code pad_token} come from {@code tokenizer_config.json}; the stop ids
     * ({@link #eosIds()}) from {@code generation_config.json → eos_token_id} (one id or a list), else
     * {@code config.json → eos_token_id}, else the {@code eos_token}; the pad id from {@code pad_token}, else
     * {@code generation_config.json → pad_token_id}, else the first stop id (what {@code generate} does).
     *
     * @param modelDir the directory holding {@code tokenizer.json}
     * @throws TokenizerException if a file is missing, unreadable or malformed, naming the file
     */
    public static Tokenizer load(Path modelDir) {
        Objects.requireNonNull(modelDir, "modelDir");
        if (!Files.isDirectory(modelDir)) {
            throw new TokenizerException("Cannot load a tokenizer from '" + modelDir
                    + "': it is not a directory. Pass the Hugging Face model directory that holds tokenizer.json.");
        }
        Path tokenizerJson = modelDir.resolve(TOKENIZER_JSON);
        byte[] tokenizerBytes = readRequired(tokenizerJson);
        JsonNode tokenizerTree = parse(tokenizerJson, tokenizerBytes);

        // id space = model vocab ∪ added tokens (the latter hold the special tokens of most checkpoints)
        Map<String, Integer> tokenIds = new HashMap<>();
        Set<Integer> specialIds = new TreeSet<>();
        int maxId = -1;
        JsonNode model = tokenizerTree.path("model");
        JsonNode vocab = model.path("vocab");
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) vocab::fields) {
                int id = e.getValue().asInt();
                tokenIds.put(e.getKey(), id);
                maxId = Math.max(maxId, id);
            }
        } else if (vocab.isArray()) { // Unigram: [[piece, score], ...], id = index
            for (int i = 0; i < vocab.size(); i++) {
                tokenIds.put(vocab.get(i).path(0).asText(), i);
            }
            maxId = vocab.size() - 1;
        } else {
            throw new TokenizerException("Cannot load tokenizer '" + tokenizerJson + "': it has no model.vocab"
                    + " (found model.type=" + model.path("type").asText("missing") + "). Re-save the tokenizer with"
                    + " transformers' save_pretrained, which writes a complete tokenizer.json.");
        }
        for (JsonNode added : tokenizerTree.path("added_tokens")) {
            int id = added.path("id").asInt(-1);
            String content = added.path("content").asText(null);
            if (id < 0 || content == null) {
                throw new TokenizerException("Cannot load tokenizer '" + tokenizerJson + "': an added_tokens entry"
                        + " lacks an id or content (" + added + "). Fix or re-save tokenizer.json.");
            }
            tokenIds.put(content, id);
            maxId = Math.max(maxId, id);
            if (added.path("special").asBoolean(false)) {
                specialIds.add(id);
            }
        }

        HuggingFaceTokenizer hf = createNative(tokenizerJson, tokenizerBytes);
        try {
            JsonNode tokConfig = readOptional(modelDir.resolve(TOKENIZER_CONFIG_JSON));
            JsonNode genConfig = readOptional(modelDir.resolve(GENERATION_CONFIG_JSON));
            JsonNode modelConfig = readOptional(modelDir.resolve(CONFIG_JSON));
            Path configPath = modelDir.resolve(TOKENIZER_CONFIG_JSON);

            JsonNode addedDecoder = tokConfig.path("added_tokens_decoder");
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) addedDecoder::fields) {
                if (e.getValue().path("special").asBoolean(false)) {
                    try {
                        specialIds.add(Integer.parseInt(e.getKey()));
                    } catch (NumberFormatException ex) {
                        throw new TokenizerException("Cannot load '" + configPath + "': added_tokens_decoder key '"
                                + e.getKey() + "' is not a token id. Fix the file or re-save it with transformers.",
                                ex);
                    }
                }
            }

            String bos = tokenText(tokConfig.get("bos_token"));
            String eos = tokenText(tokConfig.get("eos_token"));
            String pad = tokenText(tokConfig.get("pad_token"));
            OptionalInt bosId = bos == null ? intField(genConfig, "bos_token_id", modelConfig)
                    : OptionalInt.of(lookup(tokenIds, bos, "bos_token", configPath));
            List<Integer> eosList = idList(genConfig.get("eos_token_id"), modelDir.resolve(GENERATION_CONFIG_JSON));
            if (eosList.isEmpty()) {
                eosList = idList(modelConfig.get("eos_token_id"), modelDir.resolve(CONFIG_JSON));
            }
            if (eosList.isEmpty() && eos != null) {
                eosList = List.of(lookup(tokenIds, eos, "eos_token", configPath));
            }
            OptionalInt padId;
            if (pad != null) {
                padId = OptionalInt.of(lookup(tokenIds, pad, "pad_token", configPath));
            } else if (genConfig.hasNonNull("pad_token_id")) {
                padId = OptionalInt.of(genConfig.get("pad_token_id").asInt());
            } else if (!eosList.isEmpty()) {
                padId = OptionalInt.of(eosList.get(0));
            } else {
                padId = OptionalInt.empty();
            }
            if (eos == null && !eosList.isEmpty()) {
                eos = tokenFor(tokenIds, eosList.get(0));
            }
            if (bos == null && bosId.isPresent()) {
                bos = tokenFor(tokenIds, bosId.getAsInt());
            }

            ChatTemplate template = chatTemplate(modelDir, tokConfig, bos, eos);
            return new Tokenizer(hf, modelDir, maxId + 1, Collections.unmodifiableMap(tokenIds),
                    Collections.unmodifiableSet(specialIds), bos, eos, bosId,
                    eosList.stream().mapToInt(Integer::intValue).toArray(), padId, template);
        } catch (RuntimeException e) { // free the native handle on any failure before rethrowing it unchanged
            hf.close();
            throw e;
        }
    }

    /**
     * Encodes one text.
     *
     * @param text             the text; special tokens written in it are matched first
     * @param addSpecialTokens whether the post-processor adds its tokens (e.g. Llama's BOS), as in HF
     * @return the token ids
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        Encoding encoding = hf.encode(text, addSpecialTokens, false);
        return toInts(encoding.getIds());
    }

    /**
     * Encodes several texts and left-pads them to the longest with {@link #padId()}.
     *
     * @param texts            the texts; at least one
     * @param addSpecialTokens as in {@link #encode(String, boolean)}
     * @return ids and attention mask, each {@code [texts.size(), longest]}
     * @throws TokenizerException if padding is needed and the tokenizer has no pad id
     */
    public EncodedBatch encodeBatch(List<String> texts, boolean addSpecialTokens) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("encodeBatch needs at least one text; got an empty list");
        }
        List<int[]> rows = new ArrayList<>(texts.size());
        for (String t : texts) {
            rows.add(encode(t, addSpecialTokens));
        }
        return leftPad(rows);
    }

    /**
     * Left-pads already encoded rows with {@link #padId()}.
     *
     * @param rows token ids per row; at least one
     * @throws TokenizerException if the rows differ in length and the tokenizer has no pad id
     */
    public EncodedBatch leftPad(List<int[]> rows) {
        int width = rows.stream().mapToInt(r -> r.length).max().orElseThrow(
                () -> new IllegalArgumentException("leftPad needs at least one row; got an empty list"));
        boolean ragged = rows.stream().anyMatch(r -> r.length != width);
        if (ragged && padId.isEmpty()) {
            throw new TokenizerException("Cannot pad a batch for the tokenizer in '" + directory + "': it defines no"
                    + " pad_token, generation_config.json has no pad_token_id and no eos_token_id is known. Add"
                    + " \"pad_token\" to tokenizer_config.json or \"eos_token_id\" to generation_config.json.");
        }
        int pad = padId.orElse(0);
        int[][] ids = new int[rows.size()][width];
        int[][] mask = new int[rows.size()][width];
        for (int b = 0; b < rows.size(); b++) {
            int[] row = rows.get(b);
            int offset = width - row.length;
            Arrays.fill(ids[b], 0, offset, pad);
            System.arraycopy(row, 0, ids[b], offset, row.length);
            Arrays.fill(mask[b], offset, width, 1);
        }
        return new EncodedBatch(ids, mask);
    }

    /**
     * Decodes ids back to text with {@code tokenizer.json}'s decoder.
     *
     * @param ids               token ids, each in {@code [0, vocabSize())}
     * @param skipSpecialTokens whether special tokens are left out (otherwise they print as their text)
     * @return the text; invalid UTF-8 byte sequences become U+FFFD
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids");
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[i] + " at index " + i + " is outside the"
                        + " vocabulary [0, " + vocabSize + ") of the tokenizer in '" + directory + "'");
            }
            longs[i] = ids[i];
        }
        return hf.decode(longs, skipSpecialTokens);
    }

    /**
     * Renders a conversation with this model's chat template and encodes it without adding special tokens (the
     * template writes them), as transformers' {@code apply_chat_template(messages, tokenize=True)} does.
     *
     * @throws TokenizerException if the model has no chat template, or the template rejects the conversation
     */
    public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        ChatTemplate template = chatTemplate().orElseThrow(() -> new TokenizerException("The tokenizer in '"
                + directory + "' has no chat template: tokenizer_config.json has no \"chat_template\" and there is no"
                + " chat_template.jinja. Use a chat/instruct checkpoint, or format the prompt yourself and call"
                + " encode()."));
        return encode(template.render(messages, addGenerationPrompt), false);
    }

    /** Size of the id space: model vocabulary plus added tokens (HF's {@code len(tokenizer)}). */
    public int vocabSize() {
        return vocabSize;
    }

    /** The BOS id, if the tokenizer or generation config names one. */
    public OptionalInt bosId() {
        return bosId;
    }

    /** The ids that end generation (one or many), in the order the config lists them; may be empty. */
    public int[] eosIds() {
        return eosIds.clone();
    }

    /** The id used for padding, if any (see {@link #load(Path)} for where it comes from). */
    public OptionalInt padId() {
        return padId;
    }

    /** The BOS token text, if known. */
    public Optional<String> bosToken() {
        return Optional.ofNullable(bosToken);
    }

    /** The EOS token text, if known. */
    public Optional<String> eosToken() {
        return Optional.ofNullable(eosToken);
    }

    /** The ids of special tokens ({@code "special": true} in tokenizer.json or tokenizer_config.json). */
    public Set<Integer> specialIds() {
        return specialIds;
    }

    /** The id of a token's exact text (vocab entry or added token), if it has one. */
    public OptionalInt tokenId(String token) {
        Integer id = tokenIds.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The model's chat template, if it has one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /** The directory this tokenizer was loaded from. */
    public Path directory() {
        return directory;
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        hf.close();
    }

    // ---------------------------------------------------------------- loading helpers

    private static HuggingFaceTokenizer createNative(Path file, byte[] bytes) {
        Map<String, String> options = new HashMap<>();
        // DJL defaults to LONGEST_FIRST truncation at 512 tokens and LONGEST padding; neither is HF's encode().
        options.put("truncation", "false");
        options.put("padding", "false");
        options.put("addSpecialTokens", "true");
        options.put("withOverflowingTokens", "false");
        options.put("doLowerCase", "false");
        try {
            // The InputStream overload reads no tokenizer_config.json, so DJL applies none of its own guesses.
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), options);
        } catch (IOException e) {
            throw new TokenizerException("Cannot load tokenizer '" + file + "': " + e.getMessage()
                    + ". Check that the file is a complete tokenizer.json.", e);
        } catch (RuntimeException e) { // the native library reports parse errors as plain RuntimeExceptions
            throw new TokenizerException("Cannot load tokenizer '" + file + "': the tokenizers library rejected it ("
                    + e.getMessage() + "). Re-save it with a recent transformers (save_pretrained), or check that"
                    + " the DJL tokenizers native library loaded (see earlier log lines).", e);
        }
    }

    private static byte[] readRequired(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenizerException("Cannot load a tokenizer from '" + file.getParent() + "': " + file.getFileName()
                    + " is missing. SteerOpt needs the fast-tokenizer file; download it with the model, or convert a"
                    + " slow tokenizer with transformers (AutoTokenizer.from_pretrained(...).save_pretrained(dir)).",
                    e);
        } catch (IOException e) {
            throw new TokenizerException("Cannot read '" + file + "': " + e.getMessage()
                    + ". Check the file's permissions.", e);
        }
    }

    private static JsonNode readOptional(Path file) {
        if (!Files.exists(file)) {
            return JSON.missingNode();
        }
        return parse(file, readRequired(file));
    }

    private static JsonNode parse(Path file, byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new TokenizerException("Cannot load '" + file + "': expected a JSON object, found "
                        + (node == null ? "an empty file" : node.getNodeType()) + ". Restore the file from the model's"
                        + " original download.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new TokenizerException("Cannot load '" + file + "': malformed JSON (" + JsonProblem.describe(e)
                    + "). Restore the file from the model's original download.", e);
        } catch (IOException e) {
            throw new TokenizerException("Cannot read '" + file + "': " + e.getMessage() + ".", e);
        }
    }

    /** A special-token entry in tokenizer_config.json is a string or an AddedToken object with "content". */
    private static String tokenText(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.get("content").asText();
        }
        return null;
    }

    private static int lookup(Map<String, Integer> tokenIds, String token, String field, Path configFile) {
        Integer id = tokenIds.get(token);
        if (id == null) {
            throw new TokenizerException("Cannot load '" + configFile + "': " + field + " \"" + token + "\" is not a"
                    + " token of tokenizer.json (neither in model.vocab nor in added_tokens). Fix " + field
                    + " or use the tokenizer.json that belongs to this tokenizer_config.json.");
        }
        return id;
    }

    private static String tokenFor(Map<String, Integer> tokenIds, int id) {
        for (Map.Entry<String, Integer> e : tokenIds.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    private static OptionalInt intField(JsonNode primary, String field, JsonNode fallback) {
        if (primary.path(field).isIntegralNumber()) {
            return OptionalInt.of(primary.get(field).asInt());
        }
        if (fallback.path(field).isIntegralNumber()) {
            return OptionalInt.of(fallback.get(field).asInt());
        }
        return OptionalInt.empty();
    }

    private static List<Integer> idList(JsonNode node, Path file) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        Set<Integer> ids = new LinkedHashSet<>();
        if (node.isIntegralNumber()) {
            ids.add(node.asInt());
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                if (!n.isIntegralNumber()) {
                    throw new TokenizerException("Cannot load '" + file + "': eos_token_id lists " + n
                            + ", which is not a token id. Use an integer or a list of integers.");
                }
                ids.add(n.asInt());
            }
        } else {
            throw new TokenizerException("Cannot load '" + file + "': eos_token_id is " + node
                    + "; expected an integer or a list of integers.");
        }
        return List.copyOf(ids);
    }

    private static ChatTemplate chatTemplate(Path dir, JsonNode tokConfig, String bos, String eos) {
        String source = null;
        JsonNode node = tokConfig.get("chat_template");
        if (node != null && node.isTextual()) {
            source = node.asText();
        } else if (node != null && node.isArray()) { // [{"name": "default", "template": "..."}, {"name": "tool_use"...}]
            for (JsonNode entry : node) {
                if ("default".equals(entry.path("name").asText())) {
                    source = entry.path("template").asText(null);
                }
            }
        }
        Path jinja = dir.resolve(CHAT_TEMPLATE_JINJA);
        if (source == null && Files.isRegularFile(jinja)) {
            source = new String(readRequired(jinja), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (source == null || source.isBlank()) {
            return null;
        }
        return ChatTemplate.of(source, bos == null ? "" : bos, eos == null ? "" : eos);
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Tokenizer[" + directory + ", vocab=" + vocabSize + ", bos=" + bosId + ", eos=" + Arrays.toString(eosIds)
                + ", pad=" + padId + "]";
    }
}
