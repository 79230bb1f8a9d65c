package dev.steeropt.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A character-level vocabulary: {@code <unk>}, {@code <s>}, {@code </s>}, {@code <pad>} at ids 0-3, then {@code '\n'}
 * and the 95 printable ASCII characters (space to tilde), 100 ids in all. Written as a Hugging Face
 * {@code tokenizer.json} (a BPE model with no merges and no pre-tokenizer, so every character is one token; a
 * post-processor that prepends {@code <s>}, as Llama's does; a {@code Fuse} decoder that joins tokens without
 * spaces), so the runtime's {@link dev.steeropt.core.tokenizer.Tokenizer} encodes exactly as {@link #encode} does.
 *
 * <p>Immutable and thread-safe.
 */
public final class CharVocabulary {
    /** Id of {@code <unk>}: characters outside the vocabulary. */
    public static final int UNK = 0;
    /** Id of {@code <s>}. */
    public static final int BOS = 1;
    /** Id of {@code </s>}. */
    public static final int EOS = 2;
    /** Id of {@code <pad>}. */
    public static final int PAD = 3;

    private static final List<String> SPECIALS = List.of("<unk>", "<s>", "</s>", "<pad>");
    private static final int FIRST_CHAR = SPECIALS.size();
    private static final CharVocabulary INSTANCE = new CharVocabulary();

    private final String chars;

    private CharVocabulary() {
        StringBuilder sb = new StringBuilder("\n");
        for (char c = ' '; c <= '~'; c++) {
            sb.append(c);
        }
        this.chars = sb.toString();
    }

    /** The vocabulary (there is only one layout). */
    public static CharVocabulary ascii() {
        return INSTANCE;
    }

    /** Number of ids (specials plus characters). */
    public int size() {
        return FIRST_CHAR + chars.length();
    }

    /** True if every character of {@code text} has its own id (no {@code <unk>}). */
    public boolean covers(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** One id per character, {@link #UNK} for characters outside the vocabulary; no special tokens added. */
    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            int k = chars.indexOf(text.charAt(i));
            ids[i] = k < 0 ? UNK : FIRST_CHAR + k;
        }
        return ids;
    }

    /** The text of the ids, special tokens skipped. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id >= FIRST_CHAR && id < size()) {
                sb.append(chars.charAt(id - FIRST_CHAR));
            }
        }
        return sb.toString();
    }

    /** The token string of an id. */
    public String token(int id) {
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException("id must be in [0, " + size() + "), got " + id);
        }
        return id < FIRST_CHAR ? SPECIALS.get(id) : String.valueOf(chars.charAt(id - FIRST_CHAR));
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json} into
     * {@code dir}.
     *
     * @param modelMaxLength {@code model_max_length} (the model's positions)
     * @throws UncheckedIOException if a file cannot be written
     */
    public void write(Path dir, int modelMaxLength) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            Files.createDirectories(dir);
            json.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson());
            json.writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizerConfig(modelMaxLength));
            Map<String, Object> specialMap = new LinkedHashMap<>();
            specialMap.put("bos_token", "<s>");
            specialMap.put("eos_token", "</s>");
            specialMap.put("pad_token", "<pad>");
            specialMap.put("unk_token", "<unk>");
            json.writeValue(dir.resolve("special_tokens_map.json").toFile(), specialMap);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the tokenizer files into '" + dir + "': " + e.getMessage(), e);
        }
    }

    private Map<String, Object> tokenizerJson() {
        List<Object> added = new ArrayList<>();
        for (int id = 0; id < FIRST_CHAR; id++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", id);
            t.put("content", SPECIALS.get(id));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        Map<String, Object> bosPiece = Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 0));
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("type", "TemplateProcessing");
        post.put("single", List.of(bosPiece, Map.of("Sequence", Map.of("id", "A", "type_id", 0))));
        post.put("pair", List.of(bosPiece, Map.of("Sequence", Map.of("id", "A", "type_id", 0)), bosPiece,
                Map.of("Sequence", Map.of("id", "B", "type_id", 1))));
        post.put("special_tokens", Map.of("<s>", Map.of("id", "<s>", "ids", List.of(BOS), "tokens", List.of("<s>"))));
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int id = 0; id < size(); id++) {
            vocab.put(token(id), id);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<unk>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("vocab", vocab);
        model.put("merges", List.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", added);
        root.put("normalizer", null);
        root.put("pre_tokenizer", null);
        root.put("post_processor", post);
        root.put("decoder", Map.of("type", "Fuse"));
        root.put("model", model);
        return root;
    }

    private Map<String, Object> tokenizerConfig(int modelMaxLength) {
        Map<String, Object> decoder = new LinkedHashMap<>();
        for (int id = 0; id < FIRST_CHAR; id++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("content", SPECIALS.get(id));
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
            decoder.put(Integer.toString(id), t);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("add_bos_token", true);
        c.put("add_eos_token", false);
        c.put("added_tokens_decoder", decoder);
        c.put("bos_token", "<s>");
        c.put("clean_up_tokenization_spaces", false);
        c.put("eos_token", "</s>");
        c.put("model_max_length", modelMaxLength);
        c.put("pad_token", "<pad>");
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("unk_token", "<unk>");
        return c;
    }
}
