package dev.steeropt.studies.artifacts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Provenance of a run for {@code manifest.json}: code version, inputs' hashes, seeds and the environment. */
public final class Manifest {
    private Manifest() {}

    /**
     * The manifest.
     *
     * @param modelSha256 content hash of the model files
     * @param dataSha256  content hash of the dataset items
     * @param seeds       named seeds
     * @param extra       further entries (study name, storage, split hashes...)
     */
    public static Map<String, Object> of(String modelSha256, String dataSha256, Map<String, Object> seeds,
            Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", Instant.now().toString());
        m.put("git_commit", gitCommit());
        m.put("model_sha256", modelSha256);
        m.put("data_sha256", dataSha256);
        m.put("seeds", seeds);
        m.putAll(extra);
        Map<String, Object> libs = new LinkedHashMap<>();
        libs.put("steeropt", version(Manifest.class));
        libs.put("djl", version("ai.djl.engine.Engine"));
        libs.put("pytorch", System.getenv().getOrDefault("PYTORCH_VERSION", "default of the DJL engine"));
        libs.put("jackson", version("com.fasterxml.jackson.databind.ObjectMapper"));
        libs.put("picocli", version("picocli.CommandLine"));
        libs.put("sqlite_jdbc", version("org.sqlite.JDBC"));
        libs.put("postgresql_jdbc", version("org.postgresql.Driver"));
        m.put("libraries", libs);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("cpu_count", Runtime.getRuntime().availableProcessors());
        env.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("environment", env);
        return m;
    }

    private static String version(String className) {
        try {
            return version(Class.forName(className));
        } catch (ClassNotFoundException | LinkageError e) {
            return "absent";
        }
    }

    private static String version(Class<?> c) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        if (v == null) {
            var src = c.getProtectionDomain().getCodeSource();
            if (src != null && src.getLocation() != null) {
                String p = src.getLocation().getPath();
                return p.endsWith(".jar") ? Path.of(p).getFileName().toString() : "classes (" + p + ")";
            }
            return "unknown";
        }
        return v;
    }

    /** HEAD of the git checkout at {@code steeropt.home} (or the working directory), or null when unavailable. */
    static String gitCommit() {
        String home = System.getProperty("steeropt.home", ".");
        try {
            Process p = new ProcessBuilder("git", "-C", home, "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || !out.matches("[0-9a-f]{40}")) {
                return null;
            }
            Process dirty = new ProcessBuilder("git", "-C", home, "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean clean = dirty.waitFor(5, TimeUnit.SECONDS) && dirty.getInputStream().readAllBytes().length == 0;
            return clean ? out : out + "-dirty";
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
