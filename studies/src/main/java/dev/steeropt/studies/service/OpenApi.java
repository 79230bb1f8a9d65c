package dev.steeropt.studies.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/openapi.json}: an OpenAPI 3 listing of the routes, built from the router so that it cannot miss
 * one. Writes carry the bearer security requirement.
 */
record OpenApi(String openapi, Info info, Map<String, Map<String, Operation>> paths, Components components) {

    record Info(String title, String version, String description) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Operation(String summary, List<Map<String, List<String>>> security, Map<String, Reply> responses) {}

    record Reply(String description) {}

    record Components(@JsonProperty("securitySchemes") Map<String, Scheme> securitySchemes) {}

    record Scheme(String type, String scheme) {}

    static OpenApi of(List<Router.Route> routes) {
        Map<String, Map<String, Operation>> paths = new LinkedHashMap<>();
        for (Router.Route r : routes) {
            boolean write = r.access() == Access.WRITE;
            Map<String, Reply> replies = new LinkedHashMap<>();
            replies.put("200", new Reply("JSON (HTML, script or file bytes for the dashboard and artifacts)"));
            replies.put("400", new Reply("bad parameter or body: {\"error\": {\"status\", \"message\"}}"));
            replies.put("404", new Reply("no such study, trial or artifact"));
            if (write) {
                replies.put("401", new Reply("missing or wrong bearer token"));
                replies.put("403", new Reply("the server is read-only"));
                replies.put("413", new Reply("body larger than " + ServerOptions.MAX_BODY_BYTES + " bytes"));
            }
            paths.computeIfAbsent(r.pattern(), k -> new LinkedHashMap<>()).put(r.method().toLowerCase(Locale.ROOT),
                    new Operation(r.summary(), write ? List.of(Map.of("bearer", List.of())) : null, replies));
        }
        return new OpenApi("3.0.3", new Info("SteerOpt study service", "1", "REST API of 'steeropt serve'. Writes need"
                + " 'Authorization: Bearer <token>'; errors are {\"error\": {\"status\", \"message\"}}."), paths,
                new Components(Map.of("bearer", new Scheme("http", "bearer"))));
    }
}
