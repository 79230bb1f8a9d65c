package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.studies.store.StorageUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store's connections and transactions: runs a unit of work in one transaction (a write transaction holds the
 * database's write lock from its first statement, see {@link Dialect#begin}), keeps prepared statements open where the
 * dialect allows it, binds arguments, and turns an {@link SQLException} into a {@link StorageException} that says
 * what failed and what to check. Within one process everything is serialised by one lock, which the store also
 * holds around its in-memory state ({@link #locked}).
 */
final class Transactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    private final StorageUrl url;
    private final Dialect dialect;
    private final Dialect.ConnectionSource source;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by `lock`
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;

    Transactions(StorageUrl url, Dialect dialect, Dialect.ConnectionSource source) {
        this.url = url;
        this.dialect = dialect;
        this.source = source;
    }

    /** A unit of work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    StorageUrl url() {
        return url;
    }

    /** Runs {@code body} holding this store's lock. */
    <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction (a write transaction holds the write lock throughout). */
    <T> T run(boolean write, String what, Work<T> work) {
        return onConnection(what, c -> {
            try {
                dialect.begin(this, c, write);
                T result = work.run(c);
                dialect.commit(this, c);
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    dialect.rollback(c);
                } catch (SQLException r) {
                    LOG.debug("rollback failed (the transaction may not have started)", r);
                }
                throw e;
            }
        });
    }

    /** Runs {@code work} on a connection outside any transaction this class starts. */
    <T> T onConnection(String what, Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("storage " + url.display() + " is closed");
            }
            Connection c;
            try {
                c = source.acquire();
            } catch (SQLException e) {
                throw fail(what, e);
            }
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw fail(what, e);
            } finally {
                try {
                    source.release(c);
                } catch (SQLException e) {
                    LOG.debug("releasing a connection failed", e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private StorageException fail(String what, SQLException e) {
        String msg = String.valueOf(e.getMessage());
        String hint;
        if (msg.contains("SQLITE_BUSY") || msg.contains("database is locked")) {
            hint = "Another process held the database's write lock for more than "
                    + Dialect.SQLITE_BUSY_TIMEOUT_MS / 1000 + " s. Retry; if it persists, look for a process stuck"
                    + " inside a transaction (or use PostgreSQL for many workers).";
        } else if (msg.contains("readonly") || msg.contains("read-only")) {
            hint = "The database (or its directory, which SQLite needs for its -wal and -shm files) is not writable"
                    + " by this user.";
        } else {
            hint = "Check that the database is reachable and not damaged; run with -v for the full error.";
        }
        return new StorageException("Could not " + what + " in storage " + url.display() + ": " + msg + ". " + hint,
                e);
    }

    /** A prepared statement, kept open for reuse where the dialect allows it, else closed after use. */
    final class Stmt implements AutoCloseable {
        final PreparedStatement ps;

        Stmt(PreparedStatement ps) {
            this.ps = ps;
        }

        @Override
        public void close() throws SQLException {
            if (!dialect.cachesStatements()) {
                ps.close();
            }
        }
    }

    /** The prepared statement for {@code sql} on {@code c}, its parameters cleared. */
    Stmt stmt(Connection c, String sql) throws SQLException {
        if (!dialect.cachesStatements()) {
            return new Stmt(c.prepareStatement(sql));
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return new Stmt(ps);
    }

    /** Binds {@code args} in order: null, Long, Integer, Double, String or Instant (in the dialect's form). */
    void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a instanceof Instant t) {
                dialect.setTime(ps, i + 1, t);
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
    }

    /** Runs an insert, update or delete; returns the rows it changed. */
    int update(Connection c, String sql, Object... args) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            bind(s.ps, args);
            return s.ps.executeUpdate();
        }
    }

    /** Runs a statement without arguments or results (transaction control). */
    void execute(Connection c, String sql) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            s.ps.execute();
        }
    }

    /** The first column of the first row as a long, or null if there is no row. */
    Long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            bind(s.ps, args);
            try (ResultSet rs = s.ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** The first column of the first row as a string, or null if there is no row. */
    String queryString(Connection c, String sql, Object... args) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            bind(s.ps, args);
            try (ResultSet rs = s.ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    LOG.debug("closing a statement failed", e);
                }
            }
            statements.clear();
            try {
                source.close();
            } catch (SQLException e) {
                LOG.warn("Closing storage {} failed: {}", url.display(), e.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }
}
