package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Where a study's steering vectors come from, as part of its identity: another model B or another directions file is
 * another study, and resuming with the same one is the same study. The default, {@link #CONTRAST}, is left out of the
 * spec JSON ({@link OmitContrast}), so the studies stored before this field existed keep their identity. Immutable.
 *
 * @param kind         the kind
 * @param source       {@link VectorSourceKind#CROSS_MODEL}: model B's directory, absolute;
 *                     {@link VectorSourceKind#DIRECTORY}: the {@code analyze directions} output directory, absolute;
 *                     null for {@link VectorSourceKind#CONTRAST}
 * @param sourceSha256 model B's content fingerprint, or the SHA-256 of the directory's {@code directions.safetensors};
 *                     null for {@link VectorSourceKind#CONTRAST}
 */
public record VectorSourceSpec(VectorSourceKind kind,
        @JsonInclude(JsonInclude.Include.NON_NULL) String source,
        @JsonProperty("source_sha256") @JsonInclude(JsonInclude.Include.NON_NULL) String sourceSha256) {

    /** The default: CAA vectors of the study's contrast pairs. */
    public static final VectorSourceSpec CONTRAST = new VectorSourceSpec(VectorSourceKind.CONTRAST, null, null);

    public VectorSourceSpec {
        Objects.requireNonNull(kind, "kind");
        if ((kind == VectorSourceKind.CONTRAST) != (source == null) || (source == null) != (sourceSha256 == null)) {
            throw new IllegalArgumentException("vector source " + kind.wireName() + " needs a source and its hash"
                    + " exactly when it is not contrast; got source " + source + ", hash " + sourceSha256);
        }
    }

    /** The cross-model source: model B's directory and content fingerprint. */
    public static VectorSourceSpec crossModel(String modelB, String modelBSha256) {
        return new VectorSourceSpec(VectorSourceKind.CROSS_MODEL, modelB, modelBSha256);
    }

    /** A directions directory and the SHA-256 of its directions file. */
    public static VectorSourceSpec directory(String dir, String directionsSha256) {
        return new VectorSourceSpec(VectorSourceKind.DIRECTORY, dir, directionsSha256);
    }

    /** The source as {@code --vector-source} names it: {@code contrast}, {@code cross_model:<B>} or the directory. */
    @JsonIgnore
    public String label() {
        return switch (kind) {
            case CONTRAST -> kind.wireName();
            case CROSS_MODEL -> kind.wireName() + ":" + source;
            case DIRECTORY -> source;
        };
    }

    /**
     * The Jackson value filter that leaves {@link #CONTRAST} out of the JSON: Jackson calls {@code equals(value)} and
     * omits the property when it returns true.
     */
    public static final class OmitContrast {
        @Override
        public boolean equals(Object value) {
            return value == null || CONTRAST.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
