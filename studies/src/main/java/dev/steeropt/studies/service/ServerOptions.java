package dev.steeropt.studies.service;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@code serve} listens.
 *
 * @param host     the address to bind ({@value #LOOPBACK} unless the user says otherwise)
 * @param port     the port (0 = any free port, for tests)
 * @param token    the token REST writes must present; empty = every write is refused
 * @param readOnly refuse every write, token or not
 */
public record ServerOptions(String host, int port, Optional<BearerToken> token, boolean readOnly) {
    /** The default bind address: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8080;
    /** Largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
    }

    /** Whether the bind address reaches beyond this machine. */
    public boolean exposed() {
        return !(host.equals(LOOPBACK) || host.equals("localhost") || host.equals("::1"));
    }
}
