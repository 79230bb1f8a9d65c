package dev.steeropt.studies.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators of fuzz inputs: mutations of a real file (truncations, bit flips, overwritten, inserted, deleted or
 * duplicated runs, integers set to edge values such as a length field set huge) and, for JSON, mutations of its tree
 * (deleted or renamed keys, values swapped for another type or an edge value, deep nesting, huge strings) as well as
 * random inputs. Every generator is a jqwik {@link Arbitrary}, so a failing case is reported with its seed.
 */
public final class Mutations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Integers that break length and index arithmetic (as 64-bit values; narrower fields take the low bits). */
    static final long[] EDGE_INTEGERS = {0, 1, -1, 2, 7, 8, 255, 65_535, Integer.MAX_VALUE, 1L << 31, (1L << 32) - 1,
        1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE};

    private Mutations() {
    }

    /** Mutations of {@code original} (one to three stacked byte-level edits), plus random byte strings. */
    public static Arbitrary<byte[]> ofBytes(byte[] original) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.randomValue(r -> mutateBytes(original, r))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
    }

    /**
     * Mutations of a JSON document: mostly tree edits (which keep it parseable and so reach the code behind the
     * parser), some byte-level edits of its text (which mostly do not), a few random JSON values and random text.
     */
    public static Arbitrary<String> ofJson(String original) {
        JsonNode tree = parse(original);
        byte[] bytes = original.getBytes(StandardCharsets.UTF_8);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.randomValue(r -> mutateJson(tree, r))),
                net.jqwik.api.Tuple.of(3, Arbitraries.randomValue(r -> new String(mutateBytes(bytes, r), StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, Arbitraries.randomValue(r -> expandDeep(randomJson(r, 3).toString()))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    }

    /** One to three stacked byte-level edits of {@code original}. */
    public static byte[] mutateBytes(byte[] original, Random r) {
        byte[] b = original.clone();
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            b = editBytes(b, r);
        }
        return b;
    }

    private static byte[] editBytes(byte[] b, Random r) {
        int n = b.length;
        switch (r.nextInt(8)) {
            case 0: // truncate, biased to the start where the headers are
                return Arrays.copyOf(b, n == 0 ? 0 : biasedIndex(r, n));
            case 1: { // flip one to eight bits
                if (n == 0) {
                    return b;
                }
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    int at = biasedIndex(r, n);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 2: { // overwrite a run with random bytes
                if (n == 0) {
                    return b;
                }
                int at = biasedIndex(r, n);
                int len = Math.min(n - at, 1 + r.nextInt(16));
                for (int k = 0; k < len; k++) {
                    b[at + k] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 3: { // insert random bytes
                int at = n == 0 ? 0 : biasedIndex(r, n + 1);
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                return splice(b, at, at, ins);
            }
            case 4: { // delete a run
                if (n == 0) {
                    return b;
                }
                int at = biasedIndex(r, n);
                int len = Math.min(n - at, 1 + r.nextInt(64));
                return splice(b, at, at + len, new byte[0]);
            }
            case 5: { // duplicate a run
                if (n == 0) {
                    return b;
                }
                int at = biasedIndex(r, n);
                int len = Math.min(n - at, 1 + r.nextInt(64));
                return splice(b, at, at, Arrays.copyOfRange(b, at, at + len));
            }
            case 6: { // an edge integer written little-endian at an 8-byte-aligned offset (a length field set huge)
                if (n < 8) {
                    return b;
                }
                int at = Math.min(8 * r.nextInt(Math.max(1, Math.min(n / 8, 64))), n - 8);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, edgeInteger(r, n));
                return b;
            }
            default: { // an edge integer written as 4 bytes at any offset
                if (n < 4) {
                    return b;
                }
                int at = biasedIndex(r, n - 3);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) edgeInteger(r, n));
                return b;
            }
        }
    }

    /** An edge integer, or one near the input's own size. */
    static long edgeInteger(Random r, long size) {
        if (r.nextInt(4) == 0) {
            return size + r.nextInt(17) - 8;
        }
        return EDGE_INTEGERS[r.nextInt(EDGE_INTEGERS.length)];
    }

    /** Indices biased towards the start: half of them fall in the first 1 KB (where headers live). */
    private static int biasedIndex(Random r, int n) {
        if (n <= 1) {
            return 0;
        }
        return r.nextBoolean() ? r.nextInt(Math.min(n, 1024)) : r.nextInt(n);
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }

    /** One to three stacked tree edits of {@code original} (not modified), serialised. */
    public static String mutateJson(JsonNode original, Random r) {
        JsonNode root = original.deepCopy();
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            root = editTree(root, r);
        }
        return expandDeep(root.toString());
    }

    /** Text of a placeholder that {@link #expandDeep} replaces by nested arrays (a tree that deep cannot be written). */
    private static final String DEEP = "@@fuzz-deep-";

    private static JsonNode deep(int depth) {
        return NODES.textNode(DEEP + depth + "@@");
    }

    private static String expandDeep(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + DEEP + "(\\d+)@@\"").matcher(json);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int depth = Integer.parseInt(m.group(1));
            m.appendReplacement(sb, "[".repeat(depth) + "1" + "]".repeat(depth));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A place in a tree: the container and the key or index of one of its children. */
    private record Slot(JsonNode container, String key, int index) {
        JsonNode get() {
            return key != null ? container.get(key) : container.get(index);
        }

        void set(JsonNode value) {
            if (key != null) {
                ((ObjectNode) container).set(key, value);
            } else {
                ((ArrayNode) container).set(index, value);
            }
        }
    }

    private static JsonNode editTree(JsonNode root, Random r) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty() || r.nextInt(20) == 0) {
            return r.nextBoolean() ? edgeValue(r) : deep(1 + r.nextInt(1500));
        }
        Slot s = slots.get(r.nextInt(slots.size()));
        switch (r.nextInt(6)) {
            case 0: // delete the key or element
                if (s.key() != null) {
                    ((ObjectNode) s.container()).remove(s.key());
                } else {
                    ((ArrayNode) s.container()).remove(s.index());
                }
                break;
            case 1: // rename the key
                if (s.key() != null) {
                    JsonNode v = ((ObjectNode) s.container()).remove(s.key());
                    ((ObjectNode) s.container()).set(r.nextBoolean() ? s.key().toUpperCase(java.util.Locale.ROOT) : s.key() + "_x", v);
                }
                break;
            case 2: // the same value as another type
                s.set(swapType(s.get(), r));
                break;
            case 3: // an edge value
                s.set(edgeValue(r));
                break;
            case 4: // grow an array or object
                grow(s.get(), r);
                break;
            default: // a random value
                s.set(randomJson(r, 2));
                break;
        }
        return root;
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                out.add(new Slot(node, k, -1));
                collect(node.get(k), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Slot(node, null, i));
                collect(node.get(i), out);
            }
        }
    }

    private static JsonNode swapType(JsonNode v, Random r) {
        if (v.isNumber()) {
            return r.nextBoolean() ? NODES.textNode(v.asText()) : NODES.arrayNode().add(v);
        }
        if (v.isTextual()) {
            String t = v.asText();
            try {
                return r.nextBoolean() ? NODES.numberNode(Long.parseLong(t.strip())) : NODES.numberNode(t.length());
            } catch (NumberFormatException e) {
                return r.nextBoolean() ? NODES.numberNode(t.length()) : NODES.arrayNode().add(t);
            }
        }
        if (v.isArray()) {
            ObjectNode o = NODES.objectNode();
            for (int i = 0; i < v.size(); i++) {
                o.set(Integer.toString(i), v.get(i));
            }
            return o;
        }
        if (v.isObject()) {
            ArrayNode a = NODES.arrayNode();
            v.forEach(a::add);
            return a;
        }
        if (v.isBoolean()) {
            return r.nextBoolean() ? NODES.textNode(v.asText()) : NODES.numberNode(v.asBoolean() ? 1 : 0);
        }
        return NODES.textNode("null");
    }

    private static void grow(JsonNode v, Random r) {
        int copies = r.nextBoolean() ? 2 + r.nextInt(4) : 200 + r.nextInt(2000);
        if (v.isArray() && v.size() > 0) {
            JsonNode first = v.get(0);
            for (int i = 0; i < copies; i++) {
                ((ArrayNode) v).add(first.deepCopy());
            }
        } else if (v.isObject()) {
            for (int i = 0; i < Math.min(copies, 50); i++) {
                ((ObjectNode) v).set("fuzz_" + i, randomJson(r, 1));
            }
        }
    }

    /** A value at an edge: extreme numbers, empty and odd strings, empty containers, template syntax, huge text. */
    public static JsonNode edgeValue(Random r) {
        switch (r.nextInt(22)) {
            case 0: return NODES.nullNode();
            case 1: return NODES.booleanNode(r.nextBoolean());
            case 2: return NODES.numberNode(EDGE_INTEGERS[r.nextInt(EDGE_INTEGERS.length)]);
            case 3: return NODES.numberNode(1e308);
            case 4: return NODES.numberNode(-1e308);
            case 5: return NODES.numberNode(4.9e-324);
            case 6: return NODES.numberNode(-0.0);
            case 7: return NODES.numberNode(0.5);
            case 8: return NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 9: return NODES.textNode("");
            case 10: return NODES.textNode(" ");
            case 11: return NODES.textNode("\u0000");
            case 12: return NODES.textNode("NaN");
            case 13: return NODES.textNode("-1");
            case 14: return NODES.textNode("{{ x }}{% if %}");
            case 15: return NODES.textNode("\uD800 \uFFFF \n\r\t");
            case 16: return NODES.textNode("x".repeat(20_000 + r.nextInt(80_000)));
            case 17: return NODES.arrayNode();
            case 18: return NODES.objectNode();
            case 19: return NODES.arrayNode().add(NODES.nullNode());
            case 20: return NODES.textNode("../../../../etc/passwd");
            default: return deep(500 + r.nextInt(1500));
        }
    }

    /** A random JSON value of at most {@code depth} levels. */
    public static JsonNode randomJson(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 5 : 7);
        switch (kind) {
            case 0: return NODES.nullNode();
            case 1: return NODES.booleanNode(r.nextBoolean());
            case 2: return r.nextBoolean() ? NODES.numberNode(r.nextInt(2001) - 1000) : NODES.numberNode(r.nextGaussian() * 1e3);
            case 3: return NODES.textNode(randomText(r));
            case 4: return edgeValue(r);
            case 5: {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomJson(r, depth - 1));
                }
                return a;
            }
            default: {
                ObjectNode o = NODES.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(randomText(r), randomJson(r, depth - 1));
                }
                return o;
            }
        }
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            sb.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x3000) : 'a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    /** Parses a fixture (a test setup error if it is not JSON). */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fixture is not JSON", e);
        }
    }

    /** The input shortened for a failure message. */
    public static String describe(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "... (" + text.length() + " chars)";
    }

    /** A byte input described by its length and first bytes. */
    public static String describe(byte[] bytes) {
        return bytes.length + " bytes, starting " + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 24)));
    }
}
