package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A member of a closed set that has one name at the edges: CLI options, the stored spec JSON, trial params. Inside
 * the code the enum constant is used; {@link #parse} is the only way from a name to a constant.
 */
public interface WireName {
    /** The enum constant's name. */
    String name();

    /** The name at the edges: the constant's name in lower case unless the type says otherwise. */
    @JsonValue
    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every name of {@code type}, in declaration order. */
    static <E extends Enum<E> & WireName> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireName::wireName).toList();
    }

    /**
     * The constant named {@code value} (case and surrounding blanks ignored; {@code -} and {@code _} alike).
     *
     * @param what what the name names, for the error (e.g. "sampler")
     * @throws UserFacingException naming the known names if none matches
     */
    static <E extends Enum<E> & WireName> E parse(Class<E> type, String what, String value) {
        String v = value == null ? "" : value.strip().replace('-', '_').toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.wireName().replace('-', '_').toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        throw UserFacingException.usage("Unknown " + what + " '" + value + "'", "known: "
                + String.join(", ", names(type)), "Pick one of them.");
    }
}
