package dev.steeropt.studies.service;

import java.util.Objects;

/**
 * A request the service refuses: the status to answer and a message for the caller (sent as
 * {@code {"error": {"status": ..., "message": ...}}}, never with a stack trace).
 */
public final class ApiException extends RuntimeException {
    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The status to answer with. */
    public HttpStatus status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message);
    }
}
