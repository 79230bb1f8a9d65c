package dev.steeropt.studies.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps a method and path to a handler. Patterns are {@code /}-separated segments, each literal or a
 * {@code {placeholder}} that matches one non-empty segment; the first route added that matches wins. A path that
 * matches no pattern is 404; one that matches only under other methods is 405 naming them.
 */
public final class Router {
    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    /** A registered route. */
    public record Route(String method, String pattern, Access access, String summary, Handler handler) {
        List<String> segments() {
            return split(pattern);
        }
    }

    /** A matched route with its placeholder values. */
    public record Match(Route route, Map<String, String> pathParams) {}

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; {@code summary} documents it in the served OpenAPI listing. */
    public Router add(String method, String pattern, Access access, String summary, Handler handler) {
        routes.add(new Route(method, pattern, access, summary, handler));
        return this;
    }

    /** The routes, in the order they were added (for the OpenAPI listing). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The route for a request; throws {@link ApiException} 404 or 405. */
    public Match match(String method, String path) {
        List<String> parts = split(path);
        TreeSet<String> otherMethods = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), parts);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Match(r, params);
            }
            otherMethods.add(r.method());
        }
        if (!otherMethods.isEmpty()) {
            throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED, method + " is not allowed on " + path
                    + "; allowed: " + String.join(", ", otherMethods));
        }
        throw ApiException.notFound("no such path: " + path + " (GET /api/openapi.json lists the API)");
    }

    private static Map<String, String> bind(List<String> pattern, List<String> parts) {
        if (pattern.size() != parts.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (parts.get(i).isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), parts.get(i));
            } else if (!p.equals(parts.get(i))) {
                return null;
            }
        }
        return params;
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
