package dev.steeropt.core.model.init;

import dev.steeropt.core.model.io.JsonText;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way Hugging Face's Python side does ({@code json.dumps(obj, indent=2)} + newline): two-space
 * indent, {@code ": "} after keys, Python float reprs ({@code 1e-05}, {@code 1000000.0}), raw UTF-8. Key order is the
 * map's iteration order; pass a {@code TreeMap} to get {@code sort_keys=True}.
 */
final class HfJson {

    private HfJson() {}

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof CharSequence s) {
            JsonText.quote(sb, s.toString());
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            sb.append(JsonText.pythonFloat(((Number) value).doubleValue()));
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
                sb.append(first ? "" : ",").append('\n').append("  ".repeat(depth + 1));
                first = false;
                JsonText.quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), depth + 1);
            }
            sb.append('\n').append("  ".repeat(depth)).append('}');
        } else if (value instanceof Iterable<?> it) {
            Iterator<?> i = it.iterator();
            if (!i.hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            while (i.hasNext()) {
                sb.append(first ? "" : ",").append('\n').append("  ".repeat(depth + 1));
                first = false;
                write(sb, i.next(), depth + 1);
            }
            sb.append('\n').append("  ".repeat(depth)).append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

}
