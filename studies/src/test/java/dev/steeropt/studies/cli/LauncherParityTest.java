package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Docker image runs the CLI as {@code ./steeropt} does: a text check (no Docker engine runs here) that
 * {@code docker/entrypoint.sh}, the image's command, has the launcher's {@code exec java} line (same jar, JVM options,
 * DJL offline flag and {@code steeropt.home}) and exports (malloc settings, PyTorch version and flavor); that the
 * Dockerfile puts the jar and {@code lib/} where that line looks for them, installs the entrypoint as the image's
 * command, builds with the launcher's Maven command, and declares no build argument it does not use.
 */
class LauncherParityTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theImageRunsTheLaunchersCommandLine() throws Exception {
        String launcher = Files.readString(ROOT.resolve("steeropt"));
        String entrypoint = Files.readString(ROOT.resolve("docker/entrypoint.sh"));
        assertEquals(execLine(launcher), execLine(entrypoint), "the exec line of ./steeropt and docker/entrypoint.sh");
        assertTrue(execLine(launcher).contains("-jar \"$jar\"") && execLine(launcher).contains("-Dsteeropt.home="),
                execLine(launcher));
        Map<String, String> exports = exports(launcher);
        assertTrue(exports.keySet().containsAll(List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
                "PYTORCH_VERSION", "PYTORCH_FLAVOR")), exports.toString());
        assertEquals(exports, exports(entrypoint), "the environment both set before exec");
        assertEquals(assignment(launcher, "jar").replace("$root", "${root}"),
                assignment(entrypoint, "jar").replace("$root", "${root}"), "the jar, relative to the home");
    }

    @Test
    void theDockerfilePutsTheJarWhereTheEntrypointLooks() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        String launcher = Files.readString(ROOT.resolve("steeropt"));
        String entrypoint = Files.readString(ROOT.resolve("docker/entrypoint.sh"));
        String home = env(dockerfile, "STEEROPT_HOME");
        assertEquals("\"${STEEROPT_HOME:-" + home + "}\"", assignment(entrypoint, "root"),
                "the entrypoint's default home is the image's STEEROPT_HOME");
        assertTrue(dockerfile.contains("WORKDIR " + home + "\n"), "the jar is copied relative to " + home);
        String jar = assignment(entrypoint, "jar").replace("\"", "").replace("$root/", "");
        assertTrue(dockerfile.contains("COPY --from=build /src/" + jar + " " + jar + "\n"), jar);
        assertTrue(dockerfile.contains("COPY --from=build /src/studies/target/lib/ studies/target/lib/\n"));
        assertTrue(dockerfile.contains("COPY docker/entrypoint.sh /usr/local/bin/steeropt\n")
                && dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/steeropt\"]"), "the entrypoint is the command");
        // the image's defaults are the launcher's defaults
        assertTrue(execLine(launcher).contains("${STEEROPT_JAVA_OPTS:-" + env(dockerfile, "STEEROPT_JAVA_OPTS") + "}"));
        assertTrue(execLine(launcher).contains("${STEEROPT_DJL_OFFLINE:-" + env(dockerfile, "STEEROPT_DJL_OFFLINE")
                + "}"));
        Map<String, String> exports = exports(launcher);
        assertEquals("\"${PYTORCH_VERSION:-" + env(dockerfile, "PYTORCH_VERSION") + "}\"", exports.get("PYTORCH_VERSION"));
        assertEquals("\"${PYTORCH_FLAVOR:-" + env(dockerfile, "PYTORCH_FLAVOR") + "}\"", exports.get("PYTORCH_FLAVOR"));
        // the same build
        Matcher build = Pattern.compile("\\./mvnw -q -B -DskipTests (-pl studies -am package)").matcher(launcher);
        assertTrue(build.find(), "the launcher's build command");
        assertTrue(dockerfile.contains("./mvnw -B -q -DskipTests " + build.group(1)), "the image's build command");
        for (Matcher arg = Pattern.compile("(?m)^ARG (\\w+)").matcher(dockerfile); arg.find(); ) {
            String name = arg.group(1);
            assertTrue(dockerfile.contains("${" + name + "}") || dockerfile.contains("$" + name + " "),
                    "build argument " + name + " is declared but never used");
        }
        assertFalse(dockerfile.contains("PYTORCH_NATIVE"), "no build argument claims to select CUDA natives");
    }

    /** The {@code exec java ...} command with its continuation lines joined. */
    private static String execLine(String script) {
        int at = script.indexOf("\nexec java ");
        assertTrue(at >= 0, "no exec java line");
        StringBuilder sb = new StringBuilder();
        for (String line : script.substring(at + 1).split("\n")) {
            boolean more = line.endsWith("\\");
            sb.append(more ? line.substring(0, line.length() - 1).strip() : line.strip()).append(' ');
            if (!more) {
                break;
            }
        }
        return sb.toString().strip();
    }

    /** {@code export NAME=value} lines, in order. */
    private static Map<String, String> exports(String script) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Matcher m = Pattern.compile("(?m)^export (\\w+)=(.*)$").matcher(script); m.find(); ) {
            out.put(m.group(1), m.group(2).strip());
        }
        return out;
    }

    /** The value of the first top-level assignment {@code name=...}. */
    private static String assignment(String script, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=(.*)$").matcher(script);
        assertTrue(m.find(), "no assignment of " + name);
        return m.group(1).strip();
    }

    /** A value set by the Dockerfile's runtime {@code ENV} instruction (one or more {@code KEY=value} lines). */
    private static String env(String dockerfile, String key) {
        List<String> found = new ArrayList<>();
        for (Matcher m = Pattern.compile("(?m)\\b" + key + "=(\\S+?)\\s*(\\\\)?$").matcher(dockerfile); m.find(); ) {
            found.add(m.group(1));
        }
        assertEquals(1, found.size(), key + " set once in the Dockerfile: " + found);
        return found.get(0);
    }
}
