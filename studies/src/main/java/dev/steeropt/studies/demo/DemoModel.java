package dev.steeropt.studies.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The demo models shipped inside the jar: the two fine-tunes of the demo world ({@link DemoWorld}), each a Hugging
 * Face model directory with the {@value DemoModelTraining#MANIFEST} that {@code steeropt train-demo-model} wrote. At
 * the edges a demo model is named by {@link #wireName()} ({@code --model demo-hasty}); commands given no
 * {@code --model} use {@link #DEFAULT}.
 *
 * {@snippet :
 * Path dir = DemoModel.DEMO_HASTY.directory();   // ~/.cache/steeropt/demo-models/demo-hasty-<sha256 prefix>/
 * try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) { ... }
 * }
 *
 * <p>Extraction happens once per model and weights version: the files are copied into a temporary sibling directory,
 * the weights' SHA-256 is checked against the model's manifest, and the directory is renamed into place, so a reader
 * never sees a partial model and concurrent first uses are safe. A cached directory is re-verified (SHA-256 of the
 * weights, a few milliseconds) on every call. Nothing here knows a model's weights or figures: they are read from its
 * manifest.
 */
public enum DemoModel {
    /** The fine-tune that mostly works problems step by step. */
    DEMO_CAREFUL(DemoWorld.CAREFUL),
    /** The fine-tune that often takes the hasty shortcut; the default model. */
    DEMO_HASTY(DemoWorld.HASTY);

    /** The model commands use when given no {@code --model}. */
    public static final DemoModel DEFAULT = DEMO_HASTY;
    /** {@link #DEFAULT}'s wire name, for annotation defaults. */
    public static final String DEFAULT_NAME = DemoWorld.HASTY;
    /** What every demo model's wire name starts with; a bare argument with this prefix names a demo model. */
    public static final String PREFIX = "demo-";
    /** Classpath folder holding one folder per demo model, named by its wire name. */
    public static final String RESOURCE_ROOT = "/dev/steeropt/studies/demo/models/";
    /** Every file of an embedded model directory. */
    public static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors",
            "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", DemoModelTraining.MANIFEST);

    private static final int SHA_PREFIX = 16;

    private final String wireName;

    DemoModel(String wireName) {
        this.wireName = wireName;
    }

    /** The name at the edges, e.g. {@code demo-hasty}. */
    public String wireName() {
        return wireName;
    }

    /** Every wire name, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(DemoModel::wireName).toList();
    }

    /** The demo model named {@code name} (case and surrounding blanks ignored), if there is one. */
    public static Optional<DemoModel> byName(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.wireName.equals(n)).findFirst();
    }

    /** The classpath folder of this model's files. */
    public String resourceDir() {
        return RESOURCE_ROOT + wireName + "/";
    }

    /** The default cache root, {@code ~/.cache/steeropt/demo-models/}. */
    public static Path defaultCacheRoot() {
        return Path.of(System.getProperty("user.home"), ".cache", "steeropt", "demo-models");
    }

    /** The model directory under {@link #defaultCacheRoot()}, extracted on first use. */
    public Path directory() {
        return directory(defaultCacheRoot());
    }

    /**
     * The model directory {@code cacheRoot/<wire name>-<sha256 prefix>}, extracted on first use.
     *
     * @throws UserFacingException if the jar lacks the model or its weights do not match its manifest
     */
    public Path directory(Path cacheRoot) {
        String sha = manifestSha256();
        Path target = cacheRoot.resolve(wireName + "-" + sha.substring(0, SHA_PREFIX));
        if (Files.isDirectory(target) && intact(target, sha)) {
            return target;
        }
        try {
            Files.createDirectories(cacheRoot);
            Path tmp = Files.createTempDirectory(cacheRoot, ".extract-" + wireName + "-");
            try {
                for (String name : FILES) {
                    try (InputStream in = resource(name)) {
                        Files.copy(in, tmp.resolve(name));
                    }
                }
                String actual = DemoModelTraining.sha256(tmp.resolve("model.safetensors"));
                if (!actual.equals(sha)) {
                    throw UserFacingException.runtime("The embedded model " + wireName + " is corrupt",
                            "model.safetensors has SHA-256 " + actual + " but its " + DemoModelTraining.MANIFEST
                                    + " says " + sha, "Rebuild the jar from a clean checkout, or pass --model DIR.",
                            null);
                }
                if (Files.isDirectory(target)) { // a damaged earlier copy: replace it
                    deleteTree(target);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // another process finished first; its copy is checked below
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cannot rename " + tmp + " to " + target + " atomically", e);
                }
            } finally {
                if (Files.exists(tmp)) {
                    deleteTree(tmp);
                }
            }
        } catch (IOException e) {
            throw UserFacingException.runtime("Cannot extract the embedded model " + wireName + " into '" + cacheRoot
                    + "'", e.getMessage(), "Check that the directory is writable and has 10 MB free, or pass"
                    + " --model DIR.", e);
        }
        if (!intact(target, sha)) {
            throw UserFacingException.runtime("The model in '" + target + "' does not match the embedded " + wireName,
                    "its model.safetensors does not have SHA-256 " + sha, "Delete '" + target + "' and run again.",
                    null);
        }
        return target;
    }

    /** This model's {@value DemoModelTraining#MANIFEST}, read from the jar. */
    public JsonNode manifest() {
        try (InputStream in = resource(DemoModelTraining.MANIFEST)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the embedded " + wireName + " " + DemoModelTraining.MANIFEST
                    + ": " + e.getMessage(), e);
        }
    }

    /** The weights' SHA-256 recorded in this model's embedded manifest. */
    public String manifestSha256() {
        JsonNode sha = manifest().get("weights_sha256");
        if (sha == null || !sha.asText().matches("[0-9a-f]{64}")) {
            throw UserFacingException.runtime("The embedded model " + wireName + "'s manifest is malformed",
                    "weights_sha256 is " + sha, "Rebuild the jar from a clean checkout, or pass --model DIR.", null);
        }
        return sha.asText();
    }

    private static boolean intact(Path dir, String sha) {
        for (String name : FILES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                return false;
            }
        }
        return DemoModelTraining.sha256(dir.resolve("model.safetensors")).equals(sha);
    }

    private InputStream resource(String name) {
        InputStream in = DemoModel.class.getResourceAsStream(resourceDir() + name);
        if (in == null) {
            throw UserFacingException.runtime("The embedded model " + wireName + " is missing " + name,
                    "the jar has no resource " + resourceDir() + name, "Rebuild the jar from a clean checkout (the"
                            + " models are committed under studies/src/main/resources), or pass --model DIR.", null);
        }
        return in;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
