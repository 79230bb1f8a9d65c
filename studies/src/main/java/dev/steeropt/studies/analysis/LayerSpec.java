package dev.steeropt.studies.analysis;

import dev.steeropt.studies.errors.UserFacingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --layers SPEC} of every {@code analyze} command: {@code all}, a range {@code a-b} (both ends included) or
 * a list {@code a,b,c}, of 0-based decoder blocks ({@code blocks.{i}}; the embedding is not a layer). Immutable; a
 * spec is parsed without knowing the model, and {@link #resolve} checks it against the model's depth.
 *
 * @param text the spec as written (normalised: stripped, lower case)
 * @param all  {@code all}: every layer of the model
 * @param listed the layers of a range or list, ascending and distinct (empty for {@code all})
 */
public record LayerSpec(String text, boolean all, List<Integer> listed) {
    /** Every layer. */
    public static final LayerSpec ALL = new LayerSpec("all", true, List.of());

    private static final Pattern RANGE = Pattern.compile("(\\d{1,6})-(\\d{1,6})");
    private static final Pattern LIST = Pattern.compile("\\d{1,6}(,\\d{1,6})*");
    private static final String FORMS = "all, a range a-b or a list a,b,c of 0-based decoder blocks (the embedding is"
            + " not a layer)";

    public LayerSpec {
        Objects.requireNonNull(text, "text");
        listed = List.copyOf(listed);
        if (all != listed.isEmpty()) {
            throw new IllegalArgumentException("a layer spec is either all or a non-empty list, got " + text);
        }
    }

    /**
     * Parses {@code --layers}.
     *
     * @throws UserFacingException (usage) naming the accepted forms for anything else, or for an empty range
     */
    public static LayerSpec parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        if (v.equals("all")) {
            return ALL;
        }
        Matcher r = RANGE.matcher(v);
        if (r.matches()) {
            int a = Integer.parseInt(r.group(1));
            int b = Integer.parseInt(r.group(2));
            if (b < a) {
                throw UserFacingException.usage("Invalid --layers '" + value + "'", "the range " + a + "-" + b
                        + " is empty", "Write the lower layer first, e.g. --layers " + b + "-" + a + ".");
            }
            List<Integer> layers = new ArrayList<>();
            for (int i = a; i <= b; i++) {
                layers.add(i);
            }
            return new LayerSpec(v, false, layers);
        }
        if (LIST.matcher(v).matches()) {
            TreeSet<Integer> layers = new TreeSet<>();
            for (String part : v.split(",")) {
                layers.add(Integer.parseInt(part));
            }
            return new LayerSpec(v, false, new ArrayList<>(layers));
        }
        throw UserFacingException.usage("Invalid --layers '" + value + "'", "expected " + FORMS,
                "Example: --layers all, --layers 1-3 or --layers 0,2.");
    }

    /**
     * The layers of a model with {@code numLayers} decoder blocks, ascending.
     *
     * @throws UserFacingException (usage) if a listed layer is not below {@code numLayers}
     */
    public int[] resolve(int numLayers) {
        if (all) {
            int[] out = new int[numLayers];
            for (int i = 0; i < numLayers; i++) {
                out[i] = i;
            }
            return out;
        }
        int max = listed.get(listed.size() - 1);
        if (max >= numLayers) {
            throw UserFacingException.usage("Invalid --layers '" + text + "'", "layer " + max + " does not exist: the"
                    + " model has " + numLayers + " decoder blocks, 0 to " + (numLayers - 1), "Pass layers in 0-"
                    + (numLayers - 1) + ", or --layers all.");
        }
        return listed.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return text;
    }
}
