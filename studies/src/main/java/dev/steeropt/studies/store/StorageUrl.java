package dev.steeropt.studies.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed storage URL: which database, the JDBC URL to reach it, and the credentials taken out of the URL.
 *
 * <p>Accepted forms (Optuna's, plus JDBC):
 * <ul>
 *   <li>{@code sqlite:///relative/path.db} and {@code sqlite:////absolute/path.db} (SQLAlchemy style: the path
 *       follows the third slash);</li>
 *   <li>{@code postgresql://user:password@host:port/database}, also {@code postgresql+psycopg2://} and
 *       {@code postgres://}; a query string (e.g. {@code ?sslmode=require}) is passed to the JDBC driver;</li>
 *   <li>{@code jdbc:sqlite:path} and {@code jdbc:postgresql://host:port/database?user=...}.</li>
 * </ul>
 *
 * @param kind      the database
 * @param jdbcUrl   the URL given to the JDBC driver (without user and password)
 * @param user      user name for PostgreSQL, or {@code null}
 * @param password  password for PostgreSQL, or {@code null}
 * @param sqlitePath the database file for SQLite, or {@code null} for PostgreSQL
 * @param original  the URL as the user wrote it
 */
public record StorageUrl(Kind kind, String jdbcUrl, String user, String password, Path sqlitePath, String original) {

    /** The environment variable holding the default storage URL. */
    public static final String ENV = "STEEROPT_STORAGE";

    /** The storage used when neither {@code --storage} nor {@value #ENV} is given. */
    public static final String DEFAULT = "sqlite:///steeropt.db";

    /** The two supported databases. */
    public enum Kind { SQLITE, POSTGRESQL }

    public StorageUrl {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(original, "original");
        if (kind == Kind.SQLITE && sqlitePath == null) {
            throw new IllegalArgumentException("a SQLite storage URL needs a file path: " + original);
        }
    }

    /** The URL to use: {@code explicit} if given, else {@value #ENV} from {@code env}, else {@value #DEFAULT}. */
    public static StorageUrl resolve(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) {
            return parse(explicit);
        }
        String fromEnv = env.get(ENV);
        return parse(fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT);
    }

    /**
     * Parses a storage URL; throws {@link IllegalArgumentException} whose message names the URL, what is wrong and
     * the accepted forms.
     */
    public static StorageUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        String u = url.strip();
        if (u.startsWith("sqlite:")) {
            if (!u.startsWith("sqlite:///") || u.length() == "sqlite:///".length()) {
                throw bad(url, "a SQLite URL has three slashes before the file path");
            }
            String path = stripQuery(u.substring("sqlite:///".length()), url);
            if (path.equals(":memory:")) {
                throw bad(url, "an in-memory SQLite database would vanish when the command ends");
            }
            return sqlite(path, url);
        }
        if (u.startsWith("jdbc:sqlite:")) {
            String path = stripQuery(u.substring("jdbc:sqlite:".length()), url);
            if (path.startsWith("file:")) {
                path = path.substring("file:".length());
            }
            if (path.isEmpty() || path.equals(":memory:")) {
                throw bad(url, "the JDBC SQLite URL names no database file");
            }
            return sqlite(path, url);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new StorageUrl(Kind.POSTGRESQL, u, null, null, null, url);
        }
        int scheme = u.indexOf("://");
        String prefix = scheme < 0 ? "" : u.substring(0, scheme);
        if (prefix.equals("postgresql") || prefix.equals("postgres") || prefix.startsWith("postgresql+")) {
            return postgres(u.substring(scheme + 3), url);
        }
        throw bad(url, "the scheme '" + (prefix.isEmpty() ? u : prefix) + "' is not supported");
    }

    private static StorageUrl sqlite(String path, String original) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw bad(original, "the file path is not valid here (" + e.getReason() + ")");
        }
        return new StorageUrl(Kind.SQLITE, "jdbc:sqlite:" + p, null, null, p, original);
    }

    private static StorageUrl postgres(String rest, String original) {
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String cred = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = cred.indexOf(':');
            user = decode(colon < 0 ? cred : cred.substring(0, colon), original);
            password = colon < 0 ? null : decode(cred.substring(colon + 1), original);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw bad(original, "a PostgreSQL URL needs a host and a database name");
        }
        return new StorageUrl(Kind.POSTGRESQL, "jdbc:postgresql://" + rest, user, password, null, original);
    }

    private static String stripQuery(String path, String original) {
        int q = path.indexOf('?');
        if (q >= 0) {
            throw bad(original, "SQLite URLs take no options after '?'");
        }
        return path;
    }

    private static String decode(String s, String original) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(original, "the user or password has a malformed %-escape (write % as %25)");
        }
    }

    private static IllegalArgumentException bad(String url, String why) {
        return new IllegalArgumentException("Storage URL '" + mask(url) + "' is not usable: " + why
                + ". Use sqlite:///relative.db, sqlite:////absolute/path.db, "
                + "postgresql://user:password@host:5432/database, or a jdbc:sqlite:/jdbc:postgresql: URL.");
    }

    /** The URL with any password replaced by {@code ***}, for logs and messages. */
    public static String mask(String url) {
        return url == null ? null : url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@")
                .replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** This URL with the password masked. */
    public String display() {
        return mask(original);
    }

    @Override
    public String toString() {
        return display();
    }
}
