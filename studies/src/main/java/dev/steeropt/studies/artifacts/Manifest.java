package dev.steeropt.studies.artifacts;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.studies.spec.VectorSourceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code manifest.json}: provenance of a run (code version, inputs' hashes, seeds, what the run read, the libraries
 * and the environment). Keys are the snake_case forms of the component names, in component order; {@link Run}'s
 * entries sit at the top level, between {@code seeds} and {@code libraries}.
 *
 * @param created     when the manifest was written (ISO-8601)
 * @param gitCommit   HEAD of the checkout ({@code -dirty} when it has changes), or null
 * @param modelSha256 content hash of the model files
 * @param dataSha256  content hash of the dataset items
 * @param seeds       the seeds of the run
 * @param run         what the run read and built
 * @param libraries   versions (or jar names) of the libraries on the class path
 * @param environment Java, OS and machine
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Manifest(String created, String gitCommit, String modelSha256, String dataSha256, Seeds seeds,
        @JsonUnwrapped Run run, Libraries libraries, Environment environment) {

    /** The manifest of a run written now, with this JVM's libraries and environment. */
    public static Manifest of(String modelSha256, String dataSha256, Seeds seeds, Run run) {
        return new Manifest(Instant.now().toString(), headCommit(), modelSha256, dataSha256, seeds, run,
                Libraries.current(), Environment.current());
    }

    /**
     * The seeds of a run.
     *
     * @param study     the study seed (sampler, per-item sampling)
     * @param splits    the seed of the split draw
     * @param bootstrap the seed of the paired bootstrap
     */
    public record Seeds(long study, long splits, long bootstrap) {}

    /**
     * What a run read and built.
     *
     * @param study               the study name
     * @param storage             the storage URL
     * @param model               the model directory
     * @param dataSource          where the items came from
     * @param promptVariant       the prompt variant
     * @param splits              the drawn splits
     * @param steeringVectorNorms  per candidate layer, the steering vector's norms
     * @param steeringVectorSource where the steering vectors came from (the study's {@code --vector-source})
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Run(String study, String storage, String model, String dataSource, PromptVariantId promptVariant,
            Map<String, SplitIds> splits, Map<Integer, VectorNorms> steeringVectorNorms,
            VectorSourceSpec steeringVectorSource) {}

    /**
     * A prompt variant by name and template hash.
     *
     * @param name   e.g. {@code zero-shot-cot}
     * @param sha256 hash of the template (and exemplars)
     */
    public record PromptVariantId(String name, String sha256) {}

    /**
     * One layer's steering vector norms.
     *
     * @param vectorNorm       the vector's L2 norm
     * @param meanResidualNorm the mean residual norm at the layer (the unit of α), NaN when not recorded
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VectorNorms(double vectorNorm, double meanResidualNorm) {}

    /** Library versions, or the jar a class came from when the jar carries no version. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Libraries(String steeropt, String djl, String pytorch, String jackson, String picocli,
            String sqliteJdbc, String postgresqlJdbc) {
        static Libraries current() {
            return new Libraries(version(Manifest.class), version("ai.djl.engine.Engine"),
                    System.getenv().getOrDefault("PYTORCH_VERSION", "default of the DJL engine"),
                    version("com.fasterxml.jackson.databind.ObjectMapper"), version("picocli.CommandLine"),
                    version("org.sqlite.JDBC"), version("org.postgresql.Driver"));
        }
    }

    /**
     * The machine the run ran on.
     *
     * @param java         version and vendor
     * @param os           name, version, architecture
     * @param cpuCount     available processors
     * @param maxHeapBytes the JVM's maximum heap
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Environment(String java, String os, int cpuCount, long maxHeapBytes) {
        static Environment current() {
            return new Environment(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
        }
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
    static String headCommit() {
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
