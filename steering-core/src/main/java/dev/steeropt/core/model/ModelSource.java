package dev.steeropt.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@code --model} argument to a local folder: an existing directory as is, or a Hugging Face hub id
 * ({@code org/name}) downloaded once into a local cache ({@code $STEEROPT_HUB_CACHE}, default
 * {@code ~/.cache/steeropt/hub/org--name}). Offline ({@code -Dai.djl.offline=true}, {@code HF_HUB_OFFLINE=1}) a hub
 * id that is not cached is an error telling the user to pass a local path.
 */
public final class ModelSource {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSource.class);
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final List<String> REQUIRED = List.of("config.json");
    private static final List<String> OPTIONAL = List.of("generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json");

    private ModelSource() {
    }

    /**
     * The local folder for a model argument.
     *
     * @throws ModelLoadException for a hub id while offline (not cached), or a failed download
     */
    public static Path resolve(String model) {
        Path local = Path.of(model);
        if (Files.isDirectory(local) || !isHubId(model)) {
            return local; // LoadedModel reports a missing directory itself
        }
        Path dir = cacheRoot().resolve(model.replace("/", "--"));
        if (Files.isRegularFile(dir.resolve(".complete"))) {
            return dir;
        }
        if (offline()) {
            throw new ModelLoadException("Cannot load model '" + model + "': it is not a local folder, and hub downloads are off"
                    + " (offline mode: ai.djl.offline or HF_HUB_OFFLINE); download it where the network is available and pass"
                    + " the local folder, e.g. --model /path/to/" + model.substring(model.indexOf('/') + 1));
        }
        download(model, dir);
        return dir;
    }

    /** True if {@code model} has the shape of a hub id, {@code ORG/NAME} (whether or not such a model exists). */
    public static boolean isHubId(String model) {
        return model != null && HUB_ID.matcher(model).matches();
    }

    /** True when downloads are disabled. */
    public static boolean offline() {
        return Boolean.parseBoolean(System.getProperty("ai.djl.offline", "false")) || "1".equals(System.getenv("HF_HUB_OFFLINE"))
                || "1".equals(System.getenv("STEEROPT_OFFLINE"));
    }

    private static Path cacheRoot() {
        String env = System.getenv("STEEROPT_HUB_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "steeropt", "hub");
    }

    private static void download(String id, Path dir) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
        try {
            Files.createDirectories(dir);
            for (String f : REQUIRED) {
                fetch(http, id, f, dir, true);
            }
            for (String f : OPTIONAL) {
                fetch(http, id, f, dir, false);
            }
            if (fetch(http, id, "model.safetensors.index.json", dir, false)) {
                JsonNode map = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile()).get("weight_map");
                Set<String> shards = new LinkedHashSet<>();
                map.forEach(n -> shards.add(n.asText()));
                for (String s : shards) {
                    fetch(http, id, s, dir, true);
                }
            } else {
                fetch(http, id, "model.safetensors", dir, true);
            }
            Files.writeString(dir.resolve(".complete"), id + "\n");
        } catch (IOException e) {
            throw new ModelLoadException("Cannot download model '" + id + "' into " + dir + ": " + e.getMessage()
                    + "; check the network and the id, or pass a local folder", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("Download of model '" + id + "' was interrupted", e);
        }
    }

    private static boolean fetch(HttpClient http, String id, String file, Path dir, boolean required)
            throws IOException, InterruptedException {
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target)) {
            return true;
        }
        URI uri = URI.create("https://huggingface.co/" + id + "/resolve/main/" + file);
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() == 404 && !required) {
                return false;
            }
            if (r.statusCode() != 200) {
                throw new IOException("GET " + uri + " returned HTTP " + r.statusCode()
                        + (r.statusCode() == 401 || r.statusCode() == 403 ? " (gated or private model)" : ""));
            }
            LOG.info("Downloading {} of {}", file, id);
            Path part = dir.resolve(file + ".part");
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }
}
