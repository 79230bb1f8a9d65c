package dev.steeropt.studies.service;

import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as a handler sees it: method, path, the path's {@code {placeholders}}, the query parameters (the
 * last value of a repeated name wins) and the body (already bounded, and the token already checked, by the server).
 */
public record Request(String method, String path, Map<String, String> pathParams, Map<String, String> query,
        byte[] body) {
    public Request {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A path placeholder as a non-negative integer; anything else is 400 (or 404 for a too large number). */
    public long pathLong(String name) {
        String v = pathParams.get(name);
        if (v == null || !v.matches("\\d{1,18}")) {
            throw ApiException.badRequest(name + " must be a non-negative integer, got '" + v + "'");
        }
        return Long.parseLong(v);
    }

    /** A path placeholder as text. */
    public String pathText(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or null. */
    public String query(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** An integer query parameter in [min, max], {@code dflt} when absent; anything else is 400 naming the range. */
    public int queryInt(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter " + name + " must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(String.format(Locale.ROOT, "query parameter %s must be between %d and %d,"
                    + " got %d", name, min, max, n));
        }
        return n;
    }

    /** A numeric query parameter, or null when absent; anything but a number is 400. */
    public Double queryDouble(String name) {
        String v = query(name);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter " + name + " must be a number, got '" + v + "'");
        }
    }
}
