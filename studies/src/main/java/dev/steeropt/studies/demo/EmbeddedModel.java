package dev.steeropt.studies.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo model shipped inside the jar (trained by {@code steeropt train-demo-model}; see {@code training_manifest.json}
 * beside it): a Hugging Face model directory that {@code optimize}, {@code generate} and {@code validate-zero} use when
 * no {@code --model} is given.
 *
 * {@snippet :
 * Path dir = EmbeddedModel.directory();          // ~/.cache/steeropt/demo-model/<sha256 prefix>/
 * try (LoadedModel model = LoadedModel.load(dir); Tokenizer tok = Tokenizer.load(dir)) { ... }
 * }
 *
 * <p>Extraction happens once per weights version: the files are copied into a temporary sibling directory, the weights'
 * SHA-256 is checked against the manifest, and the directory is renamed into place, so a reader never sees a partial
 * model and concurrent first uses are safe. A cached directory is re-verified (SHA-256 of the weights, a few
 * milliseconds) on every call.
 */
public final class EmbeddedModel {
    /** Classpath folder of the model files. */
    public static final String RESOURCE_DIR = "/dev/steeropt/studies/demo/model/";
    /** Every file of the embedded model directory. */
    public static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors",
            "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", DemoModelTraining.MANIFEST);

    private static final int PREFIX = 16;

    private EmbeddedModel() {}

    /** The model directory under {@code ~/.cache/steeropt/demo-model/}, extracted on first use. */
    public static Path directory() {
        return directory(Path.of(System.getProperty("user.home"), ".cache", "steeropt", "demo-model"));
    }

    /**
     * The model directory under {@code cacheRoot}, extracted on first use.
     *
     * @throws UserFacingException if the jar holds no model or the weights do not match the manifest
     */
    public static Path directory(Path cacheRoot) {
        String sha = manifestSha256();
        Path target = cacheRoot.resolve(sha.substring(0, PREFIX));
        if (Files.isDirectory(target) && intact(target, sha)) {
            return target;
        }
        try {
            Files.createDirectories(cacheRoot);
            Path tmp = Files.createTempDirectory(cacheRoot, ".extract-");
            try {
                for (String name : FILES) {
                    try (InputStream in = resource(name)) {
                        Files.copy(in, tmp.resolve(name));
                    }
                }
                String actual = DemoModelTraining.sha256(tmp.resolve("model.safetensors"));
                if (!actual.equals(sha)) {
                    throw UserFacingException.runtime("The embedded demo model is corrupt",
                            "model.safetensors has SHA-256 " + actual + " but training_manifest.json says " + sha,
                            "Rebuild the jar from a clean checkout, or pass --model DIR.", null);
                }
                if (Files.isDirectory(target)) { // a damaged earlier copy: replace it
                    deleteTree(target);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
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
            throw UserFacingException.runtime("Cannot extract the embedded demo model into '" + cacheRoot + "'",
                    e.getMessage(), "Check that the directory is writable and has 10 MB free, or pass --model DIR.", e);
        }
        if (!intact(target, sha)) {
            throw UserFacingException.runtime("The demo model in '" + target + "' does not match the embedded one",
                    "its model.safetensors does not have SHA-256 " + sha, "Delete '" + target + "' and run again.", null);
        }
        return target;
    }

    /** The weights' SHA-256 recorded in the embedded {@code training_manifest.json}. */
    public static String manifestSha256() {
        try (InputStream in = resource(DemoModelTraining.MANIFEST)) {
            JsonNode sha = new ObjectMapper().readTree(in).get("weights_sha256");
            if (sha == null || !sha.asText().matches("[0-9a-f]{64}")) {
                throw UserFacingException.runtime("The embedded demo model's manifest is malformed",
                        "weights_sha256 is " + sha, "Rebuild the jar from a clean checkout, or pass --model DIR.", null);
            }
            return sha.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the embedded training_manifest.json: " + e.getMessage(), e);
        }
    }

    private static boolean intact(Path dir, String sha) {
        for (String name : FILES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                return false;
            }
        }
        return DemoModelTraining.sha256(dir.resolve("model.safetensors")).equals(sha);
    }

    private static InputStream resource(String name) {
        InputStream in = EmbeddedModel.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw UserFacingException.runtime("The embedded demo model is missing " + name,
                    "the jar has no resource " + RESOURCE_DIR + name,
                    "Rebuild the jar from a clean checkout (the model is committed under studies/src/main/resources),"
                            + " or pass --model DIR.", null);
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
