package dev.steeropt.core.model.init;

import java.math.BigDecimal;
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
            quote(sb, s.toString());
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            sb.append(pythonFloat(((Number) value).doubleValue()));
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
                quote(sb, String.valueOf(e.getKey()));
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

    /** Python's {@code repr(float)}: shortest digits, exponent form below 1e-4 or from 1e16. */
    static String pythonFloat(double d) {
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

    private static void quote(StringBuilder sb, String s) {
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
}
