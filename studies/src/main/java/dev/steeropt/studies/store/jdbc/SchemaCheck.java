package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.studies.store.StorageUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a database holds Optuna's schema at revision {@value Queries#ALEMBIC_HEAD}: creates it in an empty
 * database (when allowed), and otherwise refuses a database without the revision table, at another revision (naming
 * the upgrade command for an older one) or lacking tables.
 */
final class SchemaCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCheck.class);

    /** Optuna's alembic revisions before {@value Queries#ALEMBIC_HEAD}: an upgrade with Optuna fixes these. */
    private static final Set<String> OLDER_REVISIONS = Set.of("v0.9.0.a", "v1.2.0.a", "v1.3.0.a", "v2.4.0.a",
            "v2.6.0.a", "v3.0.0.a", "v3.0.0.b", "v3.0.0.c", "v3.0.0.d");

    private final Transactions tx;
    private final Dialect dialect;
    private final Queries q;
    private final StorageUrl url;

    private SchemaCheck(Transactions tx, Dialect dialect) {
        this.tx = tx;
        this.dialect = dialect;
        this.q = dialect.queries();
        this.url = tx.url();
    }

    /** Creates the schema if the database has none and {@code createIfMissing}, then checks it; throws if unusable. */
    static void ensure(Transactions tx, Dialect dialect, boolean createIfMissing) {
        new SchemaCheck(tx, dialect).run(createIfMissing);
    }

    private void run(boolean createIfMissing) {
        Set<String> tables = tx.run(false, "read the schema", this::listTables);
        if (!tables.contains("alembic_version") && Collections.disjoint(tables, Queries.TABLES)) {
            if (!createIfMissing) {
                throw new StorageException("Storage " + url.display() + " holds no study database (no Optuna"
                        + " tables). Check --storage, or create a study there first with 'steeropt create-study'.");
            }
            tx.run(true, "create the schema", c -> {
                dialect.lockSchema(c);
                if (Collections.disjoint(listTables(c), Queries.TABLES)) {
                    try (Statement s = c.createStatement()) {
                        for (String ddl : q.createSchema) {
                            s.execute(ddl);
                        }
                    }
                    tx.update(c, q.insertAlembic, Queries.ALEMBIC_HEAD);
                    tx.update(c, q.insertVersionInfo, Queries.SCHEMA_VERSION, libraryVersion());
                    LOG.debug("Created a new study database at {} (Optuna schema {}).", url.display(),
                            Queries.ALEMBIC_HEAD);
                }
                return null;
            });
            tables = tx.run(false, "read the schema", this::listTables);
        }
        if (!tables.contains("alembic_version")) {
            throw new StorageException("Storage " + url.display() + " has Optuna tables but no alembic_version"
                    + " table, so its schema revision is unknown: it was written by an Optuna older than 1.0 or"
                    + " only partly created. Upgrade it with 'optuna storage upgrade --storage <url>', or use"
                    + " another database.");
        }
        String revision = tx.run(false, "read the schema revision", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.selectAlembic)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (!Queries.ALEMBIC_HEAD.equals(revision)) {
            if (revision != null && OLDER_REVISIONS.contains(revision)) {
                throw new StorageException("Storage " + url.display() + " has Optuna schema revision " + revision
                        + ", older than the " + Queries.ALEMBIC_HEAD + " this version reads and writes. Upgrade it"
                        + " with 'optuna storage upgrade --storage <url>' (Optuna 3.2 or later), then retry.");
            }
            throw new StorageException("Storage " + url.display() + " has the unknown schema revision '" + revision
                    + "' (this version reads and writes Optuna's " + Queries.ALEMBIC_HEAD + ", used by Optuna 3.2 to"
                    + " 5.0). It was probably written by a newer Optuna; use a database created by Optuna 3.2-5.0"
                    + " or by SteerOpt.");
        }
        Set<String> missing = new HashSet<>(Queries.TABLES);
        missing.removeAll(tables);
        if (!missing.isEmpty()) {
            throw new StorageException("Storage " + url.display() + " is at schema revision " + revision
                    + " but lacks the tables " + new TreeSet<>(missing) + ". The database is damaged or"
                    + " was only partly created; restore it from a backup or use another database.");
        }
    }

    private Set<String> listTables(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.listTables)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String libraryVersion() {
        String v = SchemaCheck.class.getPackage().getImplementationVersion();
        return "steeropt " + (v == null ? "dev" : v);
    }
}
