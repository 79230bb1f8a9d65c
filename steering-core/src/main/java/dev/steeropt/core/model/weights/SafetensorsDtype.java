package dev.steeropt.core.model.weights;

import java.util.Locale;

/** The safetensors element types this reader understands, with their size in bytes. */
public enum SafetensorsDtype {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** True for the floating-point types a weight may have (F32, F16, BF16). */
    public boolean isWeightType() {
        return this == F32 || this == F16 || this == BF16;
    }

    /**
     * Parses a header dtype string such as {@code "BF16"}.
     *
     * @throws IllegalArgumentException naming the value and the supported ones
     */
    public static SafetensorsDtype parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "dtype \"" + s + "\" is not supported (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)",
                    e);
        }
    }
}
