package dev.steeropt.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Studies never manage engine memory: no main source of this module names DJL's {@code NDManager} (an import, a
 * fully qualified use, or a wildcard import of its package). Decoding goes through steering-core's plain-Java API and
 * {@code DecodeCall}, which owns its managers; a study that needs native arrays asks steering-core for a method instead.
 */
class EngineMemoryBoundaryTest {
    /** The module's main sources (surefire runs with the module directory as working directory). */
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern NAMES_MANAGER = Pattern.compile(
            "\\bai\\.djl\\.ndarray\\.(NDManager\\b|\\*)|^\\s*import\\s+ai\\.djl\\.ndarray\\.\\w*NDManager\\s*;",
            Pattern.MULTILINE);

    @Test
    void noStudiesMainSourceNamesNDManager() throws IOException {
        assertTrue(Files.isDirectory(MAIN.resolve("dev/steeropt/studies")), "studies main sources not found under "
                + MAIN.toAbsolutePath());
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 50, "expected the whole module, found " + sources.size() + " files");
        List<String> offenders = sources.stream().filter(EngineMemoryBoundaryTest::namesManager)
                .map(p -> MAIN.relativize(p).toString()).sorted().toList();
        assertEquals(List.of(), offenders, "studies main sources that manage engine memory (use steering-core's"
                + " DecodeCall or a plain-Java method instead)");
    }

    @Test
    void thePatternSeesEachWayOfNamingTheManager() {
        assertTrue(NAMES_MANAGER.matcher("import ai.djl.ndarray.NDManager;").find());
        assertTrue(NAMES_MANAGER.matcher("import ai.djl.ndarray.*;").find());
        assertTrue(NAMES_MANAGER.matcher("try (ai.djl.ndarray.NDManager m = x) {").find());
        assertTrue(NAMES_MANAGER.matcher("import ai.djl.ndarray.BaseNDManager;").find());
        assertTrue(!NAMES_MANAGER.matcher("import ai.djl.ndarray.NDArray;").find(), "other DJL types are not flagged");
        assertTrue(!NAMES_MANAGER.matcher("ai.djl.engine.Engine.getInstance();").find());
    }

    private static boolean namesManager(Path p) {
        try {
            return NAMES_MANAGER.matcher(Files.readString(p)).find();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
