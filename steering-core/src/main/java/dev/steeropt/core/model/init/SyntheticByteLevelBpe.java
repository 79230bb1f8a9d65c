package dev.steeropt.core.model.init;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a GPT-2/Qwen-style byte-level BPE {@code tokenizer.json} with an exact number of ids, for randomly
 * initialised models: the 256 byte symbols (GPT-2's {@code bytes_to_unicode}), three special tokens
 * ({@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}) at given ids, and enough synthetic merges to fill
 * every other id. Merges pair common symbols first (space, lower-case letters by English frequency, ...), then extend
 * those pairs by one symbol, so any text tokenizes and decodes back exactly; the vocabulary is not trained, which a
 * random model does not need.
 */
final class SyntheticByteLevelBpe {

    static final String END_OF_TEXT = "<|endoftext|>";
    static final String IM_START = "<|im_start|>";
    static final String IM_END = "<|im_end|>";

    /** GPT-2's split regex, as transformers' GPT2/Llama-3-free byte-level tokenizers write it. */
    private static final String GPT2_SPLIT = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private SyntheticByteLevelBpe() {}

    /** GPT-2's {@code bytes_to_unicode}: byte value → printable symbol, listed in GPT-2's id order. */
    static Map<Integer, String> byteSymbols() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bs.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bs.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bs.add(b);
        }
        List<Integer> cs = new ArrayList<>(bs);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bs.contains(b)) {
                bs.add(b);
                cs.add(256 + n++);
            }
        }
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int i = 0; i < bs.size(); i++) {
            out.put(bs.get(i), new String(Character.toChars(cs.get(i))));
        }
        return out;
    }

    /**
     * The tokenizer.json tree.
     *
     * @param vocabSize     total ids, all used
     * @param specialIds    ids of {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}, each in range
     */
    static Map<String, Object> tokenizerJson(int vocabSize, int[] specialIds) {
        String[] specials = {END_OF_TEXT, IM_START, IM_END};
        Set<Integer> reserved = new LinkedHashSet<>();
        for (int id : specialIds) {
            if (id < 0 || id >= vocabSize || !reserved.add(id)) {
                throw new IllegalArgumentException("special token ids " + java.util.Arrays.toString(specialIds)
                        + " must be distinct and inside [0, " + vocabSize + ")");
            }
        }
        // regular tokens take every id that is not reserved, in increasing order
        List<String> regular = new ArrayList<>(vocabSize);
        List<String> merges = new ArrayList<>();
        Map<Integer, String> bytes = byteSymbols();
        regular.addAll(bytes.values());
        int needed = vocabSize - specials.length - regular.size();
        if (needed < 0) {
            throw new IllegalArgumentException("vocab_size " + vocabSize + " is below the " + (256 + specials.length)
                    + " ids a byte-level tokenizer needs");
        }
        List<String> order = symbolPriority(bytes);
        List<String> pairs = new ArrayList<>();
        outer:
        for (String a : order) {
            for (String b : order) {
                if (merges.size() == needed) {
                    break outer;
                }
                merges.add(a + " " + b);
                regular.add(a + b);
                pairs.add(a + b);
            }
        }
        outer3:
        for (String ab : pairs) {
            for (String c : order) {
                if (merges.size() == needed) {
                    break outer3;
                }
                merges.add(ab + " " + c);
                regular.add(ab + c);
            }
        }
        if (merges.size() != needed) {
            throw new IllegalStateException("could not build " + needed + " merges (built " + merges.size() + ")");
        }

        Map<String, Object> vocab = new LinkedHashMap<>();
        TreeMap<Integer, String> specialById = new TreeMap<>();
        for (int i = 0; i < specials.length; i++) {
            specialById.put(specialIds[i], specials[i]);
        }
        int next = 0;
        for (int id = 0; id < vocabSize; id++) {
            String special = specialById.get(id);
            vocab.put(special != null ? special : regular.get(next++), id);
        }

        List<Object> added = new ArrayList<>();
        for (Map.Entry<Integer, String> e : specialById.entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", e.getKey());
            t.put("content", e.getValue());
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        root.put("added_tokens", added);
        root.put("normalizer", null);
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("type", "Split");
        split.put("pattern", Map.of("Regex", GPT2_SPLIT));
        split.put("behavior", "Isolated");
        split.put("invert", false);
        Map<String, Object> byteLevelPre = byteLevel(false, false);
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("type", "Sequence");
        pre.put("pretokenizers", List.of(split, byteLevelPre));
        root.put("pre_tokenizer", pre);
        root.put("post_processor", byteLevel(false, false));
        root.put("decoder", byteLevel(false, false));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", merges);
        root.put("model", model);
        return root;
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean useRegex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", false);
        m.put("use_regex", useRegex);
        return m;
    }

    /** Space, then lower-case letters by English frequency, upper case, digits, punctuation, newline, the rest. */
    private static List<String> symbolPriority(Map<Integer, String> bytes) {
        Set<String> order = new LinkedHashSet<>();
        String ascii = " etaoinshrdlcumwfgypbvkjxqzETAOINSHRDLCUMWFGYPBVKJXQZ0123456789.,'\"-!?:;()\n";
        for (char c : ascii.toCharArray()) {
            order.add(bytes.get((int) c));
        }
        order.addAll(bytes.values());
        return new ArrayList<>(order);
    }
}
