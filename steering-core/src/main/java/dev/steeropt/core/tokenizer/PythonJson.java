package dev.steeropt.core.tokenizer;

import dev.steeropt.core.model.io.JsonText;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False, indent=indent)} for the values a chat template handles: maps,
 * iterables and arrays, strings, numbers, booleans and null. Templates that embed tool schemas with {@code tojson}
 * then render the same text as in transformers.
 */
final class PythonJson {

    private PythonJson() {}

    /**
     * @param value  the value to print
     * @param indent {@code null} for one line with {@code ", "} and {@code ": "} separators; otherwise the number of
     *               spaces per nesting level, items one per line and separated by {@code ","}
     */
    static String dumps(Object value, Integer indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, Integer indent, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof CharSequence s) {
            JsonText.quote(sb, s.toString());
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                sb.append("NaN");
            } else if (Double.isInfinite(d)) {
                sb.append(d > 0 ? "Infinity" : "-Infinity");
            } else {
                sb.append(JsonText.pythonFloat(value instanceof Float ? Double.parseDouble(Float.toString((Float) value)) : d));
            }
        } else if (value instanceof Number n) {
            sb.append(n.toString());
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(indent == null ? ", " : ",");
                }
                first = false;
                newline(sb, indent, depth + 1);
                JsonText.quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (value instanceof Iterable<?> it) {
            writeArray(sb, it.iterator(), indent, depth);
        } else if (value instanceof Object[] arr) {
            writeArray(sb, java.util.Arrays.asList(arr).iterator(), indent, depth);
        } else {
            JsonText.quote(sb, value.toString());
        }
    }

    private static void writeArray(StringBuilder sb, Iterator<?> it, Integer indent, int depth) {
        if (!it.hasNext()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                sb.append(indent == null ? ", " : ",");
            }
            first = false;
            newline(sb, indent, depth + 1);
            write(sb, it.next(), indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, Integer indent, int depth) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }
}
