package dev.steeropt.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Loads {@code shared/fixtures/optuna/optuna-fixtures.json}: from the {@code steeropt.shared} system property (set by
 * the parent POM's surefire configuration), else {@code ../../shared} relative to the module directory. A missing file
 * fails the calling test; it never skips.
 */
public final class OptunaFixtures {
    /** The two Optuna refs the fixtures were exported from. */
    public static final String MASTER = "master";
    public static final String V49 = "v4.9.0";

    private static JsonNode root;

    private OptunaFixtures() {}

    /** The fixtures of one ref ("master" or "v4.9.0"). */
    public static synchronized JsonNode ref(String ref) {
        if (root == null) {
            root = load();
        }
        JsonNode r = root.path("refs").path(ref);
        assertTrue(r.isObject(), "fixture file has no refs." + ref);
        return r;
    }

    private static JsonNode load() {
        Path file = location();
        if (!Files.isRegularFile(file)) {
            fail("Optuna fixture file not found at " + file.toAbsolutePath() + ". Set -Dsteeropt.shared=<path to "
                    + "shared> or run from the repository so that ../shared exists.");
        }
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            assertEquals("optuna-fixtures-merged/v1", n.path("schema").asText(), "unexpected fixture schema");
            return n;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Path location() {
        String prop = System.getProperty("steeropt.shared");
        Path shared = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("..", "..", "shared");
        if (prop == null && !Files.isDirectory(shared)) {
            shared = Paths.get("..", "shared");
        }
        return shared.resolve("fixtures").resolve("optuna").resolve("optuna-fixtures.json");
    }

    /** A fixture number that may be written as the string "nan"/"inf"/"-inf". */
    public static double num(JsonNode n) {
        if (n.isTextual()) {
            switch (n.asText()) {
                case "nan", "NaN" -> {
                    return Double.NaN;
                }
                case "inf", "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf", "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> throw new AssertionError("not a number in fixture: " + n);
            }
        }
        return n.asDouble();
    }

    /** Asserts |actual - expected| <= rel * |expected| + abs, printing both. */
    public static void assertClose(double expected, double actual, double rel, double abs, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        double tol = rel * Math.abs(expected) + abs;
        assertTrue(Math.abs(actual - expected) <= tol, what + ": expected " + expected + " but got " + actual
                + " (diff " + Math.abs(actual - expected) + " > tol " + tol + ")");
    }
}
