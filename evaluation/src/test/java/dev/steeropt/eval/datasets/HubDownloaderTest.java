package dev.steeropt.eval.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.steeropt.eval.EvaluationInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the downloader against a local stand-in for datasets-server and the hub; no network access. */
class HubDownloaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ROWS = 250; // three pages of 100

    @TempDir
    Path tmp;
    private HttpServer server;
    private URI base;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/rows", exchange -> {
            requests.incrementAndGet();
            String query = exchange.getRequestURI().getQuery();
            int offset = Integer.parseInt(query.replaceAll(".*offset=(\\d+).*", "$1"));
            int length = Integer.parseInt(query.replaceAll(".*length=(\\d+).*", "$1"));
            ObjectNode page = MAPPER.createObjectNode();
            page.put("num_rows_total", ROWS);
            ArrayNode rows = page.putArray("rows");
            for (int i = offset; i < Math.min(ROWS, offset + length); i++) {
                ObjectNode row = rows.addObject();
                row.put("row_idx", i);
                row.putObject("row").put("question", "Q" + i + "?").put("answer", "x\n#### " + i);
                row.putArray("truncated_cells");
            }
            send(exchange, 200, MAPPER.writeValueAsBytes(page));
        });
        server.createContext("/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl", exchange -> send(exchange,
                200, ("{\"problem\":\"p\",\"solution\":\"\\\\boxed{2}\",\"answer\":\"2\",\"subject\":\"S\","
                        + "\"level\":1,\"unique_id\":\"test/a/1.json\"}\n").getBytes(StandardCharsets.UTF_8)));
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body)
            throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private HubDownloader downloader(URI server) {
        return new HubDownloader(HttpClient.newHttpClient(), server, server, Duration.ofSeconds(5));
    }

    @Test
    void pagesThroughRowsIntoTheDataDirectoryOnce() {
        Path data = tmp.resolve("data");
        Path file = downloader(base).ensure(DatasetFile.GSM8K_TRAIN, data);
        assertEquals(data.resolve("gsm8k/train.jsonl"), file);
        assertEquals(3, requests.get());
        List<Problem> problems = Gsm8k.load(data, Gsm8k.Split.TRAIN);
        assertEquals(ROWS, problems.size());
        assertEquals("gsm8k-train-249", problems.get(249).id());
        assertEquals("249", problems.get(249).goldAnswer());
        downloader(base).ensure(DatasetFile.GSM8K_TRAIN, data);
        assertEquals(3, requests.get(), "a present file is not downloaded again");
    }

    @Test
    void fetchesTheMath500RawFile() {
        Path data = tmp.resolve("data");
        downloader(base).ensure(DatasetFile.MATH500_TEST, data);
        assertEquals("test/a/1.json", Math500.load(data).get(0).id());
    }

    @Test
    void unreachableHubNamesTheFileToProvide() {
        Path data = tmp.resolve("data");
        server.stop(0);
        EvaluationInputException e = assertThrows(EvaluationInputException.class,
                () -> downloader(base).ensure(DatasetFile.GSM8K_TEST, data));
        String expected = data.resolve("gsm8k/test.jsonl").toAbsolutePath().toString();
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("openai/gsm8k"), e.getMessage());
        assertFalse(Files.exists(data.resolve("gsm8k/test.jsonl")), "no partial file is left behind");
    }
}
