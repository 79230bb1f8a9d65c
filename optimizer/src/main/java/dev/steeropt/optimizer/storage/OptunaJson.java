package dev.steeropt.optimizer.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * JSON text exactly as Optuna stores it: Python's {@code json.dumps} with default settings, i.e. {@code ", "} and
 * {@code ": "} separators, floats in Python {@code repr} form ({@code 0.0001}, {@code 1e-05}, {@code 5.0}),
 * bare {@code NaN}/{@code Infinity}, and non-ASCII characters escaped as {@code \\uXXXX} ({@code ensure_ascii}).
 * Used for {@code distribution_json} and {@code value_json} columns so that our rows are byte-identical to Optuna's;
 * {@link #loads} reads them back.
 */
public final class OptunaJson {
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private OptunaJson() {}

    /**
     * Parses JSON text written by Optuna or by {@link #dumps} (bare {@code NaN}/{@code Infinity} allowed) into plain
     * Java values: null, Boolean, Long, Double, String, List and insertion-ordered Map. {@code null} text gives
     * {@code null}.
     */
    public static Object loads(String json) {
        if (json == null) {
            return null;
        }
        try {
            return READER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + json, e);
        }
    }

    /** A JSON-compatible Java value (null, Boolean, Number, CharSequence, Map, List, array) as Optuna writes it. */
    public static String dumps(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip, in fixed notation when
     * {@code 1e-4 <= |x| < 1e16} (always with a fractional part), otherwise as {@code d.ddde±XX}.
     */
    public static String formatFloat(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        if (x == 0.0) {
            return (Double.doubleToRawLongBits(x) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        double ax = Math.abs(x);
        if (ax >= 1e-4 && ax < 1e16) {
            String s = bd.toPlainString();
            return s.indexOf('.') < 0 ? s + ".0" : s;
        }
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (x < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            sb.append(formatFloat(((Number) v).doubleValue()));
        } else if (v instanceof Number n) {
            sb.append(n.longValue());
        } else if (v instanceof CharSequence s) {
            writeString(sb, s.toString());
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                writeString(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            write(sb, Arrays.asList(arr));
        } else {
            throw new IllegalArgumentException("values stored as JSON must be null, boolean, number, string, list or "
                    + "map; got " + v.getClass().getName() + ": " + v);
        }
    }

    private static void writeString(StringBuilder sb, String s) {
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
                    if (c < 0x20 || c > 0x7e) {
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
