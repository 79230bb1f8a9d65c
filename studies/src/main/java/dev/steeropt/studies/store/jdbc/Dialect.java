package dev.steeropt.studies.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steeropt.studies.store.StorageUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * What differs between SQLite and PostgreSQL: how connections are made, how a write transaction takes its lock,
 * how datetimes are stored, and how a reader learns that another process changed the database.
 *
 * <p>Datetimes are naive UTC everywhere, as Optuna 5 writes them.
 */
public abstract sealed class Dialect permits Dialect.Sqlite, Dialect.Postgres {

    /** How long a SQLite writer waits for another process's write lock before giving up. */
    static final int SQLITE_BUSY_TIMEOUT_MS = 60_000;

    /** The dialect for a URL kind. */
    static Dialect of(StorageUrl.Kind kind) {
        return kind == StorageUrl.Kind.SQLITE ? new Sqlite() : new Postgres();
    }

    abstract Queries queries();

    /** Opens the connections of a store (read-write) or of a read-only query. */
    abstract ConnectionSource open(StorageUrl url, boolean readOnly) throws SQLException;

    /** Starts a transaction; a write transaction holds the database's write lock (SQLite) from its first line. */
    abstract void begin(Transactions tx, Connection c, boolean write) throws SQLException;

    abstract void commit(Transactions tx, Connection c) throws SQLException;

    abstract void rollback(Connection c) throws SQLException;

    abstract void setTime(PreparedStatement ps, int index, Instant t) throws SQLException;

    abstract Instant getTime(ResultSet rs, int index) throws SQLException;

    /**
     * A number that changes whenever another connection commits, or {@link Long#MIN_VALUE} if the database offers
     * none (then every read re-queries the trials that may have changed).
     */
    abstract long changeToken(Transactions tx, Connection c) throws SQLException;

    /** Inside the schema-creating transaction: keeps a second process from creating the schema at the same time. */
    abstract void lockSchema(Connection c) throws SQLException;

    /** First statement of a read-only user query's transaction. */
    abstract void startReadOnly(Connection c) throws SQLException;

    /**
     * Inserts the study's next trial (number = count of its trials) inside a write transaction, or returns null if
     * the study does not exist.
     */
    abstract NewTrial insertTrial(Transactions tx, Connection c, long studyId, String state, Instant start,
            Instant complete) throws SQLException;

    /**
     * The study of a trial about to be written. On PostgreSQL the trial row is locked here and a finished or missing
     * trial throws; SQLite's writes check the state themselves ({@link #writeUnfinished}).
     */
    abstract long studyOfWritableTrial(TrialRows rows, Connection c, long trialId) throws SQLException;

    /**
     * Runs {@code write} on an unfinished trial, {@code args} followed by the trial id; throws as
     * {@link TrialRows#lockUnfinished} does if the trial is missing or finished.
     */
    abstract void writeUnfinished(Transactions tx, TrialRows rows, Connection c, long trialId, TrialWrite write,
            Object... args) throws SQLException;

    /** A trial just inserted. */
    record NewTrial(long trialId, int number) {}

    /** {@code args} followed by {@code last}. */
    static Object[] append(Object[] args, Object last) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = last;
        return out;
    }

    /** Whether prepared statements may be kept open for the life of the connection (one connection per store). */
    abstract boolean cachesStatements();

    /** Sets a nullable double. */
    static void setDouble(PreparedStatement ps, int index, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, v);
        }
    }

    /** Where a store's connections come from. */
    interface ConnectionSource extends AutoCloseable {
        Connection acquire() throws SQLException;

        void release(Connection c) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * SQLite: one connection per store in WAL mode with {@code synchronous=NORMAL} (a commit survives a crash of the
     * process; the last commits may be lost if the machine loses power), writes under {@code BEGIN IMMEDIATE}.
     */
    static final class Sqlite extends Dialect {
        private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
                .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
                .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
                .toFormatter();
        /** Counts and inserts in one statement: {@code BEGIN IMMEDIATE} already serialises writers. */
        private static final String INSERT_NEXT_TRIAL = "INSERT INTO trials (number, study_id, state, datetime_start,"
                + " datetime_complete) SELECT (SELECT COUNT(*) FROM trials WHERE study_id = ?), study_id, ?, ?, ?"
                + " FROM studies WHERE study_id = ? RETURNING trial_id, number";
        private final Queries queries = Queries.sqlite();

        @Override
        Queries queries() {
            return queries;
        }

        @Override
        ConnectionSource open(StorageUrl url, boolean readOnly) throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
            // Keys come back through RETURNING. Left on, the driver matches every statement against an INSERT regex
            // and then runs an extra "SELECT last_insert_rowid()" after each insert or upsert (~20 % of a write).
            config.setGetGeneratedKeys(false);
            if (readOnly) {
                config.setReadOnly(true);
            } else {
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
                config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            }
            Properties props = config.toProperties();
            Connection c = new org.sqlite.JDBC().connect(url.jdbcUrl(), props);
            if (c == null) {
                throw new SQLException("sqlite-jdbc refused the URL " + url.jdbcUrl());
            }
            if (readOnly) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = 1");
                }
            }
            return new ConnectionSource() {
                @Override
                public Connection acquire() {
                    return c;
                }

                @Override
                public void release(Connection ignored) {}

                @Override
                public void close() throws SQLException {
                    c.close();
                }
            };
        }

        /** Transaction control runs as cached prepared statements (the PostgreSQL driver does this itself). */
        @Override
        void begin(Transactions tx, Connection c, boolean write) throws SQLException {
            tx.execute(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
        }

        @Override
        void commit(Transactions tx, Connection c) throws SQLException {
            tx.execute(c, "COMMIT");
        }

        /** Nothing to do: {@code BEGIN IMMEDIATE} already excludes every other writer. */
        @Override
        void lockSchema(Connection c) {}

        /** Nothing to do: the connection itself is read-only. */
        @Override
        void startReadOnly(Connection c) {}

        @Override
        NewTrial insertTrial(Transactions tx, Connection c, long studyId, String state, Instant start,
                Instant complete) throws SQLException {
            try (Transactions.Stmt s = tx.stmt(c, INSERT_NEXT_TRIAL)) {
                tx.bind(s.ps, studyId, state, start, complete, studyId);
                try (ResultSet rs = s.ps.executeQuery()) {
                    return rs.next() ? new NewTrial(rs.getLong(1), rs.getInt(2)) : null;
                }
            }
        }

        @Override
        long studyOfWritableTrial(TrialRows rows, Connection c, long trialId) throws SQLException {
            return rows.studyIdOf(c, trialId);
        }

        /** One statement that checks the state itself; only when it changes nothing is the trial read. */
        @Override
        void writeUnfinished(Transactions tx, TrialRows rows, Connection c, long trialId, TrialWrite write,
                Object... args) throws SQLException {
            if (tx.update(c, write.guarded, append(args, trialId)) == 0) {
                rows.lockUnfinished(c, trialId);
                throw new IllegalStateException("a write to the unfinished trial id " + trialId + " changed no row");
            }
        }

        @Override
        void rollback(Connection c) throws SQLException {
            if (!c.getAutoCommit()) {
                c.rollback();
                return;
            }
            try (Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            }
        }

        @Override
        void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
            if (t == null) {
                ps.setNull(index, Types.VARCHAR);
            } else {
                ps.setString(index, WRITE.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
            }
        }

        @Override
        Instant getTime(ResultSet rs, int index) throws SQLException {
            String s = rs.getString(index);
            return s == null ? null : LocalDateTime.parse(s, READ).toInstant(ZoneOffset.UTC);
        }

        /** SQLite's clock reading ({@code strftime('%f')} gives milliseconds) in the stored format. */
        static Instant parse(String s) {
            return LocalDateTime.parse(s, READ).toInstant(ZoneOffset.UTC);
        }

        /** {@code PRAGMA data_version}: moves when another connection commits, a few microseconds to read. */
        @Override
        long changeToken(Transactions tx, Connection c) throws SQLException {
            return tx.queryLong(c, "PRAGMA data_version");
        }

        @Override
        boolean cachesStatements() {
            return true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * PostgreSQL through a small HikariCP pool. Enum columns are native types, so strings are sent untyped
     * ({@code stringtype=unspecified}) and the server casts them.
     */
    static final class Postgres extends Dialect {
        private final Queries queries = Queries.postgres();

        @Override
        Queries queries() {
            return queries;
        }

        @Override
        ConnectionSource open(StorageUrl url, boolean readOnly) throws SQLException {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("steeropt-" + (readOnly ? "query" : "store"));
            hc.setJdbcUrl(url.jdbcUrl());
            if (url.user() != null) {
                hc.setUsername(url.user());
            }
            if (url.password() != null) {
                hc.setPassword(url.password());
            }
            hc.addDataSourceProperty("stringtype", "unspecified");
            hc.setAutoCommit(false);
            hc.setReadOnly(readOnly);
            hc.setMaximumPoolSize(readOnly ? 1 : 4);
            hc.setMinimumIdle(1);
            hc.setConnectionTimeout(15_000);
            hc.setInitializationFailTimeout(1);
            HikariDataSource ds;
            try {
                ds = new HikariDataSource(hc);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
                throw new SQLException(cause.getMessage(), cause);
            }
            return new ConnectionSource() {
                @Override
                public Connection acquire() throws SQLException {
                    return ds.getConnection();
                }

                @Override
                public void release(Connection c) throws SQLException {
                    c.close();
                }

                @Override
                public void close() {
                    ds.close();
                }
            };
        }

        @Override
        void begin(Transactions tx, Connection c, boolean write) {
            // autocommit is off: the transaction starts with the first statement
        }

        @Override
        void commit(Transactions tx, Connection c) throws SQLException {
            c.commit();
        }

        @Override
        void lockSchema(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(7358301)");
            }
        }

        @Override
        void startReadOnly(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION READ ONLY");
            }
        }

        /** Locks the study row ({@code SELECT ... FOR UPDATE}), then counts and inserts. */
        @Override
        NewTrial insertTrial(Transactions tx, Connection c, long studyId, String state, Instant start,
                Instant complete) throws SQLException {
            if (tx.queryLong(c, queries.lockStudy, studyId) == null) {
                return null;
            }
            int number = Math.toIntExact(tx.queryLong(c, queries.countTrials, studyId));
            return new NewTrial(tx.queryLong(c, queries.insertTrial, number, studyId, state, start, complete), number);
        }

        @Override
        long studyOfWritableTrial(TrialRows rows, Connection c, long trialId) throws SQLException {
            return rows.lockUnfinished(c, trialId);
        }

        /** The trial row is already locked and unfinished ({@link #studyOfWritableTrial}). */
        @Override
        void writeUnfinished(Transactions tx, TrialRows rows, Connection c, long trialId, TrialWrite write,
                Object... args) throws SQLException {
            tx.update(c, write.plain, append(args, trialId));
        }

        @Override
        void rollback(Connection c) throws SQLException {
            c.rollback();
        }

        @Override
        void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
            if (t == null) {
                ps.setNull(index, Types.TIMESTAMP);
            } else {
                ps.setObject(index, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
            }
        }

        @Override
        Instant getTime(ResultSet rs, int index) throws SQLException {
            LocalDateTime t = rs.getObject(index, LocalDateTime.class);
            return t == null ? null : t.toInstant(ZoneOffset.UTC);
        }

        @Override
        long changeToken(Transactions tx, Connection c) {
            return Long.MIN_VALUE;
        }

        @Override
        boolean cachesStatements() {
            return false;
        }
    }
}
