package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.manager.StudyManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steeropt serve} as a real process: it creates the database, serves the dashboard at / (200, no redirect) and
 * the gRPC port, takes the token from {@code $STEEROPT_TOKEN}, warns when another host is bound without a token; and
 * bad input (a short token, a read-only server on a missing database, a bad port) is one Error line with exit code 2.
 */
class ServeCommandTest {
    private static final Pattern SERVING = Pattern.compile("at http://[^:]+:(\\d+)/ .*gRPC storage .* at [^:]+:(\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();

    /** A started serve process, its ports, and its stderr so far (collected on a thread). */
    record Served(Process process, int port, int grpcPort, StringBuilder err) {}

    private static Served serve(Path log, List<String> args, String token) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(StudyManager.javaCommand(args));
        if (token != null) {
            pb.environment().put("STEEROPT_TOKEN", token);
        } else {
            pb.environment().remove("STEEROPT_TOKEN");
        }
        Process p = pb.start();
        StringBuilder err = new StringBuilder();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(120, TimeUnit.SECONDS);
        Matcher m = line == null ? null : SERVING.matcher(line);
        if (m == null || !m.find()) {
            p.destroyForcibly();
            throw new AssertionError("serve printed " + line + "; stderr: " + err);
        }
        return new Served(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), err);
    }

    private static void stop(Served s) throws Exception {
        s.process().destroy();
        assertTrue(s.process().waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
    }

    @Test
    void servesTheDashboardCreatesTheDatabaseAndWarnsAboutAnOpenHostWithoutToken(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("new.db");
        Served s = serve(tmp.resolve("log"), List.of("serve", "--storage", "sqlite:///" + db, "--host", "0.0.0.0",
                "--port", "0", "--grpc-port", "0"), null);
        try {
            assertTrue(Files.exists(db), "serve creates the database");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("render-marker"));
            HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/api/studies")).POST(HttpRequest.BodyPublishers.ofString("{\"study_name\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, write.statusCode());
            try (Socket grpc = new Socket("127.0.0.1", s.grpcPort())) {
                assertTrue(grpc.isConnected(), "the gRPC port listens");
            }
            synchronized (s.err()) {
                assertTrue(s.err().toString().contains("without a token"), s.err().toString());
            }
        } finally {
            stop(s);
        }
    }

    @Test
    void takesTheTokenFromTheEnvironmentAndStaysQuietOnLoopback(@TempDir Path tmp) throws Exception {
        String token = "env-token-env-token-1234";
        Served s = serve(tmp.resolve("log"), List.of("serve", "--storage", "sqlite:///" + tmp.resolve("t.db"),
                "--port", "0", "--grpc-port", "0"), token);
        try {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/api/studies")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"study_name\": \"from-env\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            synchronized (s.err()) {
                assertFalse(s.err().toString().contains("without a token"), s.err().toString());
                assertFalse(s.err().toString().contains("WARN"), s.err().toString());
            }
        } finally {
            stop(s);
        }
    }

    @Test
    void badInputIsOneErrorLineAndExitCode2(@TempDir Path tmp) throws Exception {
        Path shortToken = Files.writeString(tmp.resolve("token"), "short\n");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"serve", "--storage", "sqlite:///" + tmp.resolve("a.db"), "--token-file",
            shortToken.toString(), "--no-grpc"});
        cases.add(new String[] {"serve", "--storage", "sqlite:///" + tmp.resolve("missing.db"), "--read-only",
            "--no-grpc"});
        cases.add(new String[] {"serve", "--storage", "sqlite:///" + tmp.resolve("b.db"), "--port", "70000"});
        cases.add(new String[] {"serve", "--storage", "sqlite:///" + tmp.resolve("c.db"), "--token-file",
            tmp.resolve("absent").toString()});
        for (String[] c : cases) {
            CliRun r = CliRun.of(c);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().startsWith("Error: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("missing.db")), "--read-only never creates the database");
    }
}
