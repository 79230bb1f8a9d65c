package dev.steeropt.core.model.io;

import java.math.BigDecimal;

/**
 * The two pieces of JSON text that must match what Python writes, shared by every writer in steering-core
 * (HF config files, safetensors headers, the chat template's {@code tojson} filter): string quoting as
 * {@code json.dumps(..., ensure_ascii=False)} does it, and Python's {@code repr(float)}.
 */
public final class JsonText {
    private JsonText() {}

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
