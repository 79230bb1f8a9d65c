package dev.steeropt.core.model.io;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * The one JSON writer of steering-core, printing text exactly as Python's {@code json.dumps(value,
 * ensure_ascii=False, indent=…)} does: Hugging Face files ({@code config.json}, {@code tokenizer.json}, …, with
 * {@link #hfFile}), the chat template's {@code tojson} filter ({@link #dumps}) and the strings of safetensors headers
 * ({@link #quote}). Strings keep non-ASCII characters and escape control characters; floats are Python's
 * {@code repr(float)}; keys follow the map's iteration order (pass a {@code TreeMap} for {@code sort_keys=True}).
 * The optimizer's {@code OptunaJson} is the same for Optuna's {@code ensure_ascii=True} columns, in the module that
 * cannot see this one.
 */
public final class PythonJson {
    private PythonJson() {}

    /**
     * {@code json.dumps(value, indent=2)} plus a newline, as Hugging Face writes its JSON files. Only null, booleans,
     * numbers, strings, maps, iterables and arrays are allowed.
     *
     * @throws IllegalArgumentException for NaN or an infinity (no JSON form) or a value of another type
     */
    public static String hfFile(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 2, true, 0);
        return sb.append('\n').toString();
    }

    /**
     * {@code json.dumps(value, ensure_ascii=False, indent=indent)} as the chat template's {@code tojson} filter
     * prints it: NaN and infinities bare (as Python does), any other object as its quoted {@code toString()}.
     *
     * @param indent {@code null} for one line with {@code ", "} and {@code ": "} separators; otherwise the number of
     *               spaces per nesting level, items one per line and separated by {@code ","}
     */
    public static String dumps(Object value, Integer indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, false, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, Integer indent, boolean strict, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof CharSequence s) {
            quote(sb, s.toString());
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            double d = value instanceof Float f ? Double.parseDouble(Float.toString(f)) : (Double) value;
            if (!strict && Double.isNaN(d)) {
                sb.append("NaN");
            } else if (!strict && Double.isInfinite(d)) {
                sb.append(d > 0 ? "Infinity" : "-Infinity");
            } else {
                sb.append(pythonFloat(d));
            }
        } else if (value instanceof Number n) {
            sb.append(n);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                separator(sb, first, indent, depth + 1);
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent, strict, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (value instanceof Iterable<?> it) {
            writeArray(sb, it.iterator(), indent, strict, depth);
        } else if (value instanceof Object[] arr) {
            writeArray(sb, Arrays.asList(arr).iterator(), indent, strict, depth);
        } else if (strict) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        } else {
            quote(sb, value.toString());
        }
    }

    private static void writeArray(StringBuilder sb, Iterator<?> it, Integer indent, boolean strict, int depth) {
        if (!it.hasNext()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        while (it.hasNext()) {
            separator(sb, first, indent, depth + 1);
            first = false;
            write(sb, it.next(), indent, strict, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append(']');
    }

    private static void separator(StringBuilder sb, boolean first, Integer indent, int depth) {
        if (!first) {
            sb.append(indent == null ? ", " : ",");
        }
        newline(sb, indent, depth);
    }

    private static void newline(StringBuilder sb, Integer indent, int depth) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    /** Appends {@code s} as a JSON string literal: control characters escaped, non-ASCII kept as is. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Python's {@code repr(float)}: the shortest round-trip digits, in fixed notation for {@code 1e-4 <= |d| < 1e16}
     * (always with a fractional part), otherwise {@code d.ddde±XX}. NaN and infinities have no JSON form and throw.
     */
    public static String pythonFloat(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp10 = bd.precision() - bd.scale() - 1;
        if (exp10 < -4 || exp10 >= 16) {
            String digits = bd.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exp10 < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exp10));
        }
        String plain = bd.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
