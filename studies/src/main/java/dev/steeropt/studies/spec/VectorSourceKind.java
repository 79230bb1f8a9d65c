package dev.steeropt.studies.spec;

/**
 * Where a study's steering vectors come from ({@code optimize --vector-source}). Names at the edges as in
 * {@link #wireName}: {@code contrast}, {@code cross_model}, {@code directory}.
 */
public enum VectorSourceKind implements WireName {
    /** CAA vectors of the study's own contrast pairs on the train split (the default). */
    CONTRAST,
    /** Per layer, model A's mean residual minus model B's over the train split's prompts ({@code --versus B}). */
    CROSS_MODEL,
    /** The per-layer directions of a directory written by {@code analyze directions}. */
    DIRECTORY;

    /** The kind named {@code name}. */
    public static VectorSourceKind parse(String name) {
        return WireName.parse(VectorSourceKind.class, "vector source", name);
    }
}
