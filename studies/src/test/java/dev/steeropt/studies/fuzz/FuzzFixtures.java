package dev.steeropt.studies.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** The real files under {@code ${steeropt.shared}} (fixture models, datasets) that seed the fuzz suites. */
final class FuzzFixtures {
    private FuzzFixtures() {
    }

    /** The fixtures folder; fails the test if the build did not set {@code steeropt.shared}. */
    static Path modelsDir() {
        return sharedDir("fixtures", "models");
    }

    /** The datasets folder (gsm8k/, math500/). */
    static Path dataDir() {
        return sharedDir("data");
    }

    private static Path sharedDir(String first, String... more) {
        String shared = System.getProperty("steeropt.shared");
        if (shared == null) {
            fail("System property steeropt.shared is not set; run the tests through Maven (it sets it to ../shared)");
        }
        Path dir = Path.of(shared, first).resolve(Path.of("", more));
        if (!Files.isDirectory(dir)) {
            fail("shared folder " + dir + " is missing");
        }
        return dir;
    }

    /** Every fixture model folder (those with a config.json), sorted. */
    static List<Path> models() {
        try (Stream<Path> s = Files.list(modelsDir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path model(String name) {
        return modelsDir().resolve(name);
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    /**
     * Writes a case's file. The old one is deleted first: truncating and rewriting a file makes ext4 flush it on
     * close, which a new file does not.
     */
    static void write(Path file, byte[] bytes) {
        try {
            Files.deleteIfExists(file);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} and runs {@code read} on it as one case of {@code target}. */
    static FuzzCheck.Outcome runOnFile(String target, String input, Path file, byte[] bytes, Function<Path, Object> read) {
        write(file, bytes);
        return FuzzCheck.run(target, input, FuzzCheck.budgetFor(bytes.length), () -> read.apply(file));
    }

    /** A fresh folder holding copies of {@code model}'s files (so a case can overwrite one of them). */
    static Path copyOf(Path model, Path into) {
        try {
            Files.createDirectories(into);
            try (Stream<Path> s = Files.list(model)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, into.resolve(f.getFileName().toString()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    into.resolve(f.getFileName().toString()).toFile().setWritable(true);
                }
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
