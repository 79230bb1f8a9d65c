package dev.steeropt.studies.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.studies.importance.ObjectiveImportance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code steeropt serve}: the REST API ({@link StudyApi}) under {@code /api} and the dashboard
 * ({@link StaticFiles}) everywhere else, on the JDK's {@code com.sun.net.httpserver} (no extra library: a dozen routes
 * over one store need no framework, and the server's limits stay in this class).
 *
 * <p>Every request passes one gate: a body longer than {@link ServerOptions#MAX_BODY_BYTES} is 413 before it is read
 * in full; a {@link Access#WRITE} route is 403 on a read-only server and 401 without the right bearer token; any
 * error becomes a JSON body {@code {"error": {"status", "message"}}} without a stack trace (an unexpected one is
 * logged here and answered as 500 with its type only).
 */
public final class StudyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StudyServer.class);

    /** Most bytes of a too-large body read (and dropped) before answering 413. */
    private static final int DRAIN_BYTES = 4 * 1024 * 1024;

    private final HttpServer http;
    private final ExecutorService pool;
    private final Router router;
    private final ServerOptions options;

    private StudyServer(HttpServer http, ExecutorService pool, Router router, ServerOptions options) {
        this.http = http;
        this.pool = pool;
        this.router = router;
        this.options = options;
    }

    /**
     * Starts serving {@code store} (which the caller keeps and closes after this server), after reading every study's
     * trials into the store's cache so that the first request is as fast as the next.
     */
    public static StudyServer start(TrialStore store, ServerOptions options, ObjectiveImportance importance) {
        Router router = new Router();
        StudyReads reads = new StudyReads(store);
        long t0 = System.nanoTime();
        int trials = reads.warm();
        LOG.info("read {} trials in {} ms", trials, (System.nanoTime() - t0) / 1_000_000);
        new StudyApi(store, reads, importance).register(router);
        StaticFiles.register(router);
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        StudyServer server = new StudyServer(http, pool, router, options);
        http.createContext("/", server::handle);
        http.setExecutor(pool);
        http.start();
        return server;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String host = options.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    private void handle(HttpExchange ex) {
        Response response;
        try {
            response = answer(ex);
        } catch (ApiException e) {
            response = error(e.status(), e.getMessage());
        } catch (StorageException e) {
            response = error(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("unexpected error answering {} {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
            response = error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error (" + e.getClass().getSimpleName()
                    + "); the server log has the details");
        }
        send(ex, response);
    }

    private Response answer(HttpExchange ex) {
        URI uri = ex.getRequestURI();
        String method = ex.getRequestMethod();
        Router.Match match = router.match(method, uri.getRawPath());
        byte[] body = readBody(ex);
        if (match.route().access() == Access.WRITE) {
            requireWriteAllowed(ex.getRequestHeaders().getFirst("Authorization"));
        }
        Map<String, String> pathParams = new LinkedHashMap<>();
        match.pathParams().forEach((k, v) -> pathParams.put(k, decode(v)));
        Request request = new Request(method, uri.getRawPath(), pathParams, query(uri.getRawQuery()), body);
        return match.route().handler().handle(request);
    }

    private void requireWriteAllowed(String authorization) {
        if (options.readOnly()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "this server runs with --read-only: writes are refused");
        }
        if (options.token().isEmpty()) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "writes need a token, and this server was started"
                    + " without one: restart it with --token-file F or $" + BearerToken.ENV);
        }
        if (authorization == null) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "writes need the header 'Authorization: Bearer <token>'");
        }
        if (!options.token().get().accepts(authorization)) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "the bearer token is wrong");
        }
    }

    private static byte[] readBody(HttpExchange ex) {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long n = -1;
        if (declared != null) {
            try {
                n = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number: '" + declared + "'");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            if (n > ServerOptions.MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge();
            }
            byte[] body = in.readNBytes(ServerOptions.MAX_BODY_BYTES + 1);
            if (body.length > ServerOptions.MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    /**
     * Reads and drops up to {@value #DRAIN_BYTES} bytes of a refused body, so that the client, still sending, reads
     * the 413 instead of a reset connection; a larger body is cut off.
     */
    private static void drain(InputStream in) throws IOException {
        long left = DRAIN_BYTES;
        byte[] buf = new byte[8192];
        for (int r; left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
            left -= r;
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "the request body is larger than "
                + ServerOptions.MAX_BODY_BYTES + " bytes");
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.put(k, v);
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed percent-encoding in '" + s + "'");
        }
    }

    /** An error answer: {@code {"error": {"status": 401, "message": "..."}}}. */
    static Response error(HttpStatus status, String message) {
        return Response.json(status, new ErrorBody(new ErrorBody.Detail(status.code(), message)));
    }

    /** The JSON of an error. */
    record ErrorBody(Detail error) {
        record Detail(int status, String message) {}
    }

    private static void send(HttpExchange ex, Response r) {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            // the dashboard's scripts (ECharts is 1 MB) are kept by the browser for an hour; API answers never
            ex.getResponseHeaders().set("Cache-Control", ex.getRequestURI().getRawPath().startsWith("/assets/")
                    ? "max-age=3600" : "no-store");
            boolean empty = r.body().length == 0 || ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status().code(), empty ? -1 : r.body().length);
            if (!empty) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away before the answer was sent: {}", e.toString());
        }
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }
}
