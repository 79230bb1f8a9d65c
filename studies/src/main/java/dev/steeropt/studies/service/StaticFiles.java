package dev.steeropt.studies.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, from the classpath: {@code /} is the page, {@code /assets/NAME} one of a fixed set (the
 * page's script and style, and ECharts from its WebJar), so the dashboard works offline and nothing else on the
 * classpath can be fetched.
 */
final class StaticFiles {
    private static final String ROOT = "/dev/steeropt/studies/service/dashboard/";
    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final Map<String, String[]> ASSETS = Map.of(
            "app.js", new String[] {ROOT + "app.js", "text/javascript; charset=utf-8"},
            "charts.js", new String[] {ROOT + "charts.js", "text/javascript; charset=utf-8"},
            "app.css", new String[] {ROOT + "app.css", "text/css; charset=utf-8"},
            "echarts.min.js", new String[] {ECHARTS, "text/javascript; charset=utf-8"});

    private StaticFiles() {}

    static void register(Router router) {
        router.add("GET", "/", Access.READ, "The dashboard (HTML).",
                r -> new Response(HttpStatus.OK, "text/html; charset=utf-8", resource(ROOT + "index.html")));
        router.add("GET", "/assets/{name}", Access.READ, "The dashboard's script, style and ECharts.", r -> {
            String[] a = ASSETS.get(r.pathText("name"));
            if (a == null) {
                throw ApiException.notFound("no asset '" + r.pathText("name") + "'");
            }
            return new Response(HttpStatus.OK, a[1], resource(a[0]));
        });
    }

    private static byte[] resource(String path) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
