package dev.steeropt.studies.service;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What a handler answers: status, media type and body bytes. */
public record Response(HttpStatus status, String contentType, byte[] body) {
    /** JSON media type. */
    public static final String JSON = "application/json; charset=utf-8";

    public Response {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        body = body == null ? new byte[0] : body;
    }

    /** A JSON answer: {@code value} through the service's one mapper. */
    public static Response json(HttpStatus status, Object value) {
        return new Response(status, JSON, ServiceJson.bytes(value));
    }

    /** 200 with a JSON body. */
    public static Response ok(Object value) {
        return json(HttpStatus.OK, value);
    }

    /** A text answer (HTML, JS, CSS). */
    public static Response text(String contentType, String text) {
        return new Response(HttpStatus.OK, contentType, text.getBytes(StandardCharsets.UTF_8));
    }
}
