package dev.steeropt.eval.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.eval.EvaluationInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches dataset files from the Hugging Face hub into a local data directory, once; later loads read the local copy.
 *
 * <ul>
 *   <li>GSM8K has no JSONL file on the hub (it is stored as Parquet), so its rows are read page by page from the
 *       datasets-server {@code /rows} endpoint ({@code {serverBase}/rows?dataset=openai/gsm8k&config=main&split=...})
 *       and written as {@code {"question","answer"}} lines in row order.</li>
 *   <li>MATH-500 is a JSONL file in its repository, fetched as is from
 *       {@code {hubBase}/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl}.</li>
 * </ul>
 * A file is written to a temporary name, checked by parsing it, then moved into place, so a failed download never leaves
 * a truncated file behind. Offline or unreachable hosts raise {@link EvaluationInputException} naming the exact file to
 * provide instead.
 */
public final class HubDownloader {
    /** The public datasets-server. */
    public static final URI DEFAULT_SERVER_BASE = URI.create("https://datasets-server.huggingface.co");
    /** The public hub. */
    public static final URI DEFAULT_HUB_BASE = URI.create("https://huggingface.co");

    private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** datasets-server serves at most 100 rows per request. */
    static final int PAGE = 100;

    private final HttpClient client;
    private final URI serverBase;
    private final URI hubBase;
    private final Duration timeout;

    /**
     * @param client     the HTTP client (injected so tests can point it at a local server)
     * @param serverBase datasets-server base URI, normally {@link #DEFAULT_SERVER_BASE}
     * @param hubBase    hub base URI, normally {@link #DEFAULT_HUB_BASE}
     * @param timeout    per-request timeout, positive
     */
    public HubDownloader(HttpClient client, URI serverBase, URI hubBase, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.serverBase = Objects.requireNonNull(serverBase, "serverBase");
        this.hubBase = Objects.requireNonNull(hubBase, "hubBase");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** A downloader for the public hub with a 60-second request timeout. */
    public static HubDownloader ofPublicHub() {
        return new HubDownloader(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build(), DEFAULT_SERVER_BASE, DEFAULT_HUB_BASE,
                Duration.ofSeconds(60));
    }

    /**
     * Returns the local path of {@code file} under {@code dataDir}, downloading it first if it is absent.
     *
     * @throws EvaluationInputException if the file is absent and cannot be downloaded
     */
    public Path ensure(DatasetFile file, Path dataDir) {
        Path target = file.resolve(dataDir);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            try {
                if (file == DatasetFile.MATH500_TEST) {
                    downloadRaw(file, tmp);
                } else {
                    downloadRows(file, tmp);
                }
                JsonlReader.read(tmp, file.howToObtain(dataDir)); // validates every line before it goes live
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | UncheckedIOException e) {
            throw unavailable(file, dataDir, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(file, dataDir, "interrupted", e);
        }
        LOG.info("Downloaded {} ({} {}) to {}", file.hubDataset(), file.hubConfig(), file.hubSplit(), target);
        return target;
    }

    private void downloadRaw(DatasetFile file, Path tmp) throws IOException, InterruptedException {
        URI uri = hubBase.resolve("/datasets/" + file.hubDataset() + "/resolve/main/" + file.hubSplit() + ".jsonl");
        HttpResponse<Path> response = client.send(request(uri), HttpResponse.BodyHandlers.ofFile(tmp));
        requireOk(uri, response.statusCode());
    }

    private void downloadRows(DatasetFile file, Path tmp) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        long total = -1;
        long next = 0;
        do {
            URI uri = serverBase.resolve("/rows?dataset=" + enc(file.hubDataset()) + "&config=" + enc(file.hubConfig())
                    + "&split=" + enc(file.hubSplit()) + "&offset=" + next + "&length=" + PAGE);
            HttpResponse<String> response = client.send(request(uri), HttpResponse.BodyHandlers.ofString());
            requireOk(uri, response.statusCode());
            JsonNode page = MAPPER.readTree(response.body());
            total = page.path("num_rows_total").asLong(-1);
            JsonNode rows = page.path("rows");
            if (total < 0 || !rows.isArray() || (rows.size() == 0 && next < total)) {
                throw new IOException("unexpected datasets-server response from " + uri + " (no rows or no "
                        + "num_rows_total)");
            }
            for (JsonNode row : rows) {
                long idx = row.path("row_idx").asLong(-1);
                if (idx != next) {
                    throw new IOException("datasets-server returned row_idx " + idx + " where " + next
                            + " was expected (" + uri + ")");
                }
                if (row.path("truncated_cells").size() > 0) {
                    throw new IOException("datasets-server truncated cells " + row.path("truncated_cells")
                            + " of row " + idx);
                }
                ObjectNode line = MAPPER.createObjectNode();
                line.put("question", row.path("row").path("question").asText());
                line.put("answer", row.path("row").path("answer").asText());
                out.append(MAPPER.writeValueAsString(line)).append('\n');
                next++;
            }
        } while (next < total);
        Files.writeString(tmp, out, StandardCharsets.UTF_8);
    }

    private HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "steeropt-evaluation").GET().build();
    }

    private static void requireOk(URI uri, int status) throws IOException {
        if (status != 200) {
            throw new IOException("HTTP " + status + " from " + uri);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static EvaluationInputException unavailable(DatasetFile file, Path dataDir, String reason,
                                                        Throwable cause) {
        return new EvaluationInputException("Cannot download " + file.hubDataset() + " (config " + file.hubConfig()
                + ", split " + file.hubSplit() + ") to " + file.resolve(dataDir).toAbsolutePath(),
                "the hub is offline or unreachable (" + reason + ")", file.howToObtain(dataDir), cause);
    }
}
