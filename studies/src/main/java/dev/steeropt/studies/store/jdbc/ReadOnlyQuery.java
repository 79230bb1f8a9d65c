package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.TrialStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one user SQL statement over a connection the database keeps read-only: SQLite opened with
 * {@code SQLITE_OPEN_READONLY} plus {@code PRAGMA query_only}; PostgreSQL in a {@code READ ONLY} transaction that is
 * rolled back. A single prepared statement is used, so {@code "SELECT 1; DELETE ..."} cannot smuggle a second
 * statement past the guard.
 */
public final class ReadOnlyQuery {
    private ReadOnlyQuery() {}

    /** The statement tried to write; nothing was changed. */
    public static final class WriteRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WriteRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The statement is not valid SQL for this database (syntax, unknown table or column). */
    public static final class BadQueryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadQueryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Result rows (column label → value: Long, Double, String, Boolean or null), in result order. */
    public static List<Map<String, Object>> run(StorageUrl url, String sql) {
        if (hasSecondStatement(sql)) {
            throw new BadQueryException("The query holds more than one statement, and 'query' runs exactly one"
                    + " (a second statement could end the read-only transaction). Remove everything after the"
                    + " first ';', or run the statements one by one.", null);
        }
        TrialStores.requireExistingSqliteFile(url);
        Dialect dialect = Dialect.of(url.kind());
        Dialect.ConnectionSource source;
        try {
            source = dialect.open(url, true);
        } catch (SQLException e) {
            throw new StorageException("Cannot connect to storage " + url.display() + ": " + e.getMessage()
                    + ". Check the URL, and that the database is reachable.", e);
        }
        try (source) {
            Connection c = source.acquire();
            try {
                dialect.startReadOnly(c);
                return execute(c, sql);
            } catch (SQLException e) {
                if (isWriteRefusal(e)) {
                    throw new WriteRefusedException("The query tried to change the database ("
                            + e.getMessage().strip() + "), and 'query' only reads: nothing was changed."
                            + " Use create-study, delete-study or tell to change studies.", e);
                }
                throw new BadQueryException("The query failed: " + e.getMessage().strip()
                        + ". Check the SQL against Optuna's tables (studies, trials, trial_params, trial_values,"
                        + " trial_intermediate_values, trial_user_attributes, ...).", e);
            } finally {
                try {
                    c.rollback();
                } catch (SQLException e) {
                    // autocommit connections (SQLite) have nothing to roll back
                }
                source.release(c);
            }
        } catch (SQLException e) {
            throw new StorageException("Closing the read-only connection to " + url.display() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> execute(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (!ps.execute()) {
                return rows;
            }
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(md.getColumnLabel(i), plain(rs.getObject(i)));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof java.math.BigDecimal b) {
            return b.scale() <= 0 ? (Object) b.longValue() : (Object) b.doubleValue();
        }
        return v.toString();
    }

    /**
     * Whether anything but blanks and comments follows a {@code ;} outside string literals, quoted identifiers,
     * comments and PostgreSQL dollar-quoted strings.
     */
    static boolean hasSecondStatement(String sql) {
        int i = 0;
        int n = sql.length();
        boolean ended = false;
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isWhitespace(ch)) {
                i++;
            } else if (ended) {
                return true;
            } else if (ch == ';') {
                ended = true;
                i++;
            } else if (ch == '\'' || ch == '"') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == ch) {
                        if (j + 1 < n && sql.charAt(j + 1) == ch) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                i = j + 1;
            } else if (ch == '$') {
                int close = sql.indexOf('$', i + 1);
                String tag = close < 0 ? null : sql.substring(i, close + 1);
                if (tag != null && tag.substring(1, tag.length() - 1).matches("[A-Za-z_0-9]*")) {
                    int end = sql.indexOf(tag, close + 1);
                    i = end < 0 ? n : end + tag.length();
                } else {
                    i++;
                }
            } else {
                i++;
            }
        }
        return false;
    }

    private static boolean isWriteRefusal(SQLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return "25006".equals(e.getSQLState()) || m.contains("readonly") || m.contains("read-only")
                || m.contains("read only") || m.contains("query_only");
    }
}
