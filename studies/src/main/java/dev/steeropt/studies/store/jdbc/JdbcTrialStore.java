package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.DistributionJson;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.storage.UpdateFinishedTrialException;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TrialStore} over JDBC, in Optuna's schema, on SQLite or PostgreSQL.
 *
 * <p><b>Concurrency.</b> Any number of processes (and threads) may share one database. Every write is one
 * transaction that holds the database's write lock from its first statement: {@code BEGIN IMMEDIATE} on SQLite,
 * {@code SELECT ... FOR UPDATE} of the study row (new trials) or trial row (trial updates) on PostgreSQL. A new
 * trial's number is the count of the study's trials, read under that lock, so numbers are unique and gap-free. Within
 * one process the store is serialised by a lock.
 *
 * <p><b>Cost of a write on SQLite.</b> Every statement, including {@code BEGIN IMMEDIATE}, {@code COMMIT} and
 * {@code PRAGMA data_version}, is prepared once per connection. A trial write is a single statement that also checks
 * that the trial is unfinished ({@code INSERT ... SELECT ... FROM trials WHERE trial_id = ? AND state IN ('RUNNING',
 * 'WAITING')}, or {@code UPDATE ... WHERE ... AND state IN (...)}); only when it changes no row is the trial read, to
 * say whether it is missing or finished. A new trial's number is counted inside its {@code INSERT}. So a suggest is
 * three statements and one commit, and an ask + 5 suggests + tell is seven transactions. The driver's generated-keys
 * emulation (an extra {@code SELECT last_insert_rowid()} after every insert) is off: ids come from {@code RETURNING}.
 * PostgreSQL keeps the explicit {@code SELECT ... FOR UPDATE} of the row before each write.
 *
 * <p><b>Durability.</b> A method that writes returns after its transaction committed. SQLite runs in WAL mode with
 * {@code synchronous=NORMAL}: a commit survives the crash or {@code kill -9} of any process, but the last commits
 * before a power loss or kernel crash may be rolled back (the database stays consistent). Nothing is buffered: each
 * parameter is committed before {@code setTrialParam} returns, so other workers (constant liar) and a crash-retry see
 * it from then on.
 *
 * <p><b>Cache.</b> Finished trials never change, so each study's trials are kept in memory as immutable
 * {@link FrozenTrial}s. This process's own writes update the cache after they commit. Writes by other processes are
 * noticed on SQLite through {@code PRAGMA data_version} (a counter that moves when another connection commits, a few
 * microseconds to read); only then, and on PostgreSQL at every read, the trials with an id above the study's
 * watermark (the largest id below which every trial is finished) are re-read.
 */
public final class JdbcTrialStore implements TrialStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTrialStore.class);

    /** Optuna's alembic revisions before {@value Queries#ALEMBIC_HEAD}: an upgrade with Optuna fixes these. */
    private static final Set<String> OLDER_REVISIONS = Set.of("v0.9.0.a", "v1.2.0.a", "v1.3.0.a", "v2.4.0.a",
            "v2.6.0.a", "v3.0.0.a", "v3.0.0.b", "v3.0.0.c", "v3.0.0.d");

    private final StorageUrl url;
    private final Dialect dialect;
    private final Queries q;
    private final Dialect.ConnectionSource source;
    private final StoreOptions options;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    // everything below is guarded by `lock`
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<Long, StudyCache> caches = new HashMap<>();
    private final Map<Long, Long> studyOfTrial = new HashMap<>();
    private final Map<Long, String> studyNames = new HashMap<>();
    private final Map<Long, List<StudyDirection>> studyDirections = new HashMap<>();
    private final Map<String, Distribution> parsedDistributions = new HashMap<>();
    private final Map<Distribution, String> distributionJson = new HashMap<>();
    private long changeToken = Long.MIN_VALUE;
    private boolean closed;

    private JdbcTrialStore(StorageUrl url, Dialect dialect, Dialect.ConnectionSource source, StoreOptions options,
            Clock clock) {
        this.url = url;
        this.dialect = dialect;
        this.q = dialect.queries();
        this.source = source;
        this.options = options;
        this.clock = clock;
    }

    /**
     * Opens the database behind {@code url}, creating Optuna's schema if the database has none and
     * {@link StoreOptions#createIfMissing()} allows it. Refuses a database whose schema revision is not
     * {@value Queries#ALEMBIC_HEAD}, naming the fix.
     */
    public static JdbcTrialStore open(StorageUrl url, StoreOptions options) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        Dialect dialect = Dialect.of(url.kind());
        Dialect.ConnectionSource source;
        try {
            source = dialect.open(url, false);
        } catch (SQLException e) {
            throw new StorageException("Cannot connect to storage " + url.display() + ": " + e.getMessage()
                    + ". " + connectHint(url), e);
        }
        JdbcTrialStore store = new JdbcTrialStore(url, dialect, source, options, Clock.systemUTC());
        try {
            store.initSchema();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.debug("opened storage {} (heartbeat {})", url.display(), options.heartbeatInterval());
        return store;
    }

    private static String connectHint(StorageUrl url) {
        return url.kind() == StorageUrl.Kind.SQLITE
                ? "Check that the directory exists and is writable."
                : "Check host, port, database name, user and password, and that the server accepts connections.";
    }

    /** The URL this store was opened with. */
    public StorageUrl url() {
        return url;
    }

    /** The options this store was opened with. */
    public StoreOptions options() {
        return options;
    }

    // =========================================================================================== schema

    private void initSchema() {
        Set<String> tables = tx(false, "read the schema", this::listTables);
        if (!tables.contains("alembic_version") && Collections.disjoint(tables, Queries.TABLES)) {
            if (!options.createIfMissing()) {
                throw new StorageException("Storage " + url.display() + " holds no study database (no Optuna"
                        + " tables). Check --storage, or create a study there first with 'steeropt create-study'.");
            }
            tx(true, "create the schema", c -> {
                if (q.schemaLock != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(q.schemaLock);
                    }
                }
                if (Collections.disjoint(listTables(c), Queries.TABLES)) {
                    try (Statement s = c.createStatement()) {
                        for (String ddl : q.createSchema) {
                            s.execute(ddl);
                        }
                    }
                    update(c, q.insertAlembic, Queries.ALEMBIC_HEAD);
                    update(c, q.insertVersionInfo, Queries.SCHEMA_VERSION, libraryVersion());
                    LOG.debug("Created a new study database at {} (Optuna schema {}).", url.display(),
                            Queries.ALEMBIC_HEAD);
                }
                return null;
            });
            tables = tx(false, "read the schema", this::listTables);
        }
        if (!tables.contains("alembic_version")) {
            throw new StorageException("Storage " + url.display() + " has Optuna tables but no alembic_version"
                    + " table, so its schema revision is unknown: it was written by an Optuna older than 1.0 or"
                    + " only partly created. Upgrade it with 'optuna storage upgrade --storage <url>', or use"
                    + " another database.");
        }
        String revision = tx(false, "read the schema revision", c -> {
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
                    + " but lacks the tables " + new java.util.TreeSet<>(missing) + ". The database is damaged or"
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
        String v = JdbcTrialStore.class.getPackage().getImplementationVersion();
        return "steeropt " + (v == null ? "dev" : v);
    }

    // =========================================================================================== studies

    @Override
    public long createStudy(String studyName, List<StudyDirection> directions) {
        Objects.requireNonNull(studyName, "studyName");
        if (studyName.isBlank() || studyName.length() > 512) {
            throw new IllegalArgumentException("study name must be 1 to 512 characters, got '" + studyName + "'");
        }
        if (directions == null || directions.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one direction");
        }
        List<StudyDirection> dirs = List.copyOf(directions);
        return locked(() -> {
            long id = tx(true, "create study '" + studyName + "'", c -> {
                if (queryLong(c, q.selectStudyIdByName, studyName) != null) {
                    throw new DuplicatedStudyException(studyName);
                }
                long studyId;
                try {
                    studyId = queryLong(c, q.insertStudy, studyName);
                } catch (SQLException e) {
                    if (isUniqueViolation(e)) {
                        throw new DuplicatedStudyException(studyName);
                    }
                    throw e;
                }
                for (int i = 0; i < dirs.size(); i++) {
                    update(c, q.insertDirection, dirs.get(i).name(), studyId, i);
                }
                return studyId;
            });
            studyNames.put(id, studyName);
            studyDirections.put(id, dirs);
            LOG.info("A new study created in {} with name: {}", url.kind() == StorageUrl.Kind.SQLITE ? "SQLite"
                    : "PostgreSQL", studyName);
            return id;
        });
    }

    @Override
    public void deleteStudy(long studyId) {
        locked(() -> {
            tx(true, "delete study " + studyId, c -> {
                requireStudy(c, studyId);
                for (String sql : q.deleteStudy) {
                    update(c, sql, studyId);
                }
                return null;
            });
            StudyCache sc = caches.remove(studyId);
            if (sc != null) {
                sc.byId.keySet().forEach(studyOfTrial::remove);
            }
            studyNames.remove(studyId);
            studyDirections.remove(studyId);
            return null;
        });
    }

    @Override
    public Optional<Long> findStudyId(String studyName) {
        Objects.requireNonNull(studyName, "studyName");
        return Optional.ofNullable(tx(false, "find study '" + studyName + "'",
                c -> queryLong(c, q.selectStudyIdByName, studyName)));
    }

    @Override
    public String getStudyName(long studyId) {
        return locked(() -> {
            String cached = studyNames.get(studyId);
            return cached != null ? cached : tx(false, "read study " + studyId, c -> requireStudy(c, studyId));
        });
    }

    @Override
    public List<StudyDirection> getStudyDirections(long studyId) {
        return locked(() -> {
            List<StudyDirection> cached = studyDirections.get(studyId);
            if (cached != null) {
                return cached;
            }
            List<StudyDirection> dirs = tx(false, "read study " + studyId, c -> {
                requireStudy(c, studyId);
                List<StudyDirection> out = new ArrayList<>();
                try (Stmt s = stmt(c, q.selectDirections)) {
                    s.ps.setLong(1, studyId);
                    try (ResultSet rs = s.ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(StudyDirection.valueOf(rs.getString(1)));
                        }
                    }
                }
                return List.copyOf(out);
            });
            studyDirections.put(studyId, dirs);
            return dirs;
        });
    }

    @Override
    public Map<String, Object> getStudyUserAttrs(long studyId) {
        return readAttrs(studyId, q.selectStudyUserAttrs);
    }

    @Override
    public Map<String, Object> getStudySystemAttrs(long studyId) {
        return readAttrs(studyId, q.selectStudySystemAttrs);
    }

    private Map<String, Object> readAttrs(long studyId, String sql) {
        return tx(false, "read attributes of study " + studyId, c -> {
            requireStudy(c, studyId);
            Map<String, Object> out = new LinkedHashMap<>();
            try (Stmt s = stmt(c, sql)) {
                s.ps.setLong(1, studyId);
                try (ResultSet rs = s.ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), OptunaJson.loads(rs.getString(2)));
                    }
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    @Override
    public void setStudyUserAttr(long studyId, String key, Object value) {
        writeStudyAttr(studyId, q.upsertStudyUserAttr, key, value);
    }

    @Override
    public void setStudySystemAttr(long studyId, String key, Object value) {
        writeStudyAttr(studyId, q.upsertStudySystemAttr, key, value);
    }

    private void writeStudyAttr(long studyId, String sql, String key, Object value) {
        Objects.requireNonNull(key, "key");
        String json = OptunaJson.dumps(value);
        tx(true, "set attribute '" + key + "' of study " + studyId, c -> {
            if (queryLong(c, q.lockStudy, studyId) == null) {
                throw studyMissing(c, studyId);
            }
            update(c, sql, studyId, key, json);
            return null;
        });
    }

    @Override
    public List<StudySummary> getAllStudies() {
        return tx(false, "list studies", c -> {
            Map<Long, String> names = new LinkedHashMap<>();
            try (Stmt s = stmt(c, q.selectAllStudies); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getLong(1), rs.getString(2));
                }
            }
            Map<Long, List<StudyDirection>> dirs = new HashMap<>();
            try (Stmt s = stmt(c, q.selectAllDirections); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    dirs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(StudyDirection.valueOf(rs.getString(2)));
                }
            }
            Map<Long, Map<String, Object>> attrs = new HashMap<>();
            try (Stmt s = stmt(c, q.selectAllStudyUserAttrs); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    attrs.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), OptunaJson.loads(rs.getString(3)));
                }
            }
            Map<Long, Integer> counts = new HashMap<>();
            Map<Long, Instant> starts = new HashMap<>();
            try (Stmt s = stmt(c, q.selectTrialCounts); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), rs.getInt(2));
                    Instant start = dialect.getTime(rs, 3);
                    if (start != null) {
                        starts.put(rs.getLong(1), start);
                    }
                }
            }
            List<StudySummary> out = new ArrayList<>();
            for (Map.Entry<Long, String> e : names.entrySet()) {
                long id = e.getKey();
                // Map.copyOf in StudySummary rejects null attribute values; keep the rest
                Map<String, Object> userAttrs = new LinkedHashMap<>(attrs.getOrDefault(id, Map.of()));
                userAttrs.values().removeIf(Objects::isNull);
                out.add(new StudySummary(id, e.getValue(), dirs.getOrDefault(id, List.of()),
                        counts.getOrDefault(id, 0), starts.get(id), userAttrs));
            }
            return out;
        });
    }

    // =========================================================================================== trials: writes

    @Override
    public long createTrial(long studyId, FrozenTrial template) {
        Instant now = now();
        TrialState state = template == null ? TrialState.RUNNING : template.state();
        Instant start = template == null ? now : micros(template.datetimeStart());
        if (start == null && state == TrialState.RUNNING) {
            start = now;
        }
        Instant complete = template == null ? null : micros(template.datetimeComplete());
        if (complete == null && state.isFinished()) {
            complete = now;
        }
        if (template != null && template.values() != null) {
            checkValues(template.values());
        }
        Instant startF = start;
        Instant completeF = complete;
        return locked(() -> {
            FrozenTrial created = tx(true, "create a trial in study " + studyId, c -> {
                long trialId;
                int number;
                if (q.insertNextTrial != null) {
                    // SQLite: BEGIN IMMEDIATE already serialises writers, so count and insert are one statement
                    try (Stmt s = stmt(c, q.insertNextTrial)) {
                        bind(s.ps, studyId, state.name(), startF, completeF, studyId);
                        try (ResultSet rs = s.ps.executeQuery()) {
                            if (!rs.next()) {
                                throw studyMissing(c, studyId);
                            }
                            trialId = rs.getLong(1);
                            number = rs.getInt(2);
                        }
                    }
                } else {
                    if (queryLong(c, q.lockStudy, studyId) == null) {
                        throw studyMissing(c, studyId);
                    }
                    number = Math.toIntExact(queryLong(c, q.countTrials, studyId));
                    trialId = queryLong(c, q.insertTrial, number, studyId, state.name(), startF, completeF);
                }
                if (template == null) {
                    return new FrozenTrial(trialId, number, state, null, startF, null, null, null, null, null, null);
                }
                Map<String, Object> params = new LinkedHashMap<>();
                Map<String, Distribution> dists = new LinkedHashMap<>();
                for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
                    String json = json(e.getValue());
                    Distribution d = distribution(json);
                    double internal = template.internalParam(e.getKey());
                    update(c, q.upsertParam, trialId, e.getKey(), internal, json);
                    params.put(e.getKey(), d.toExternal(internal));
                    dists.put(e.getKey(), d);
                }
                if (template.values() != null) {
                    for (int i = 0; i < template.values().size(); i++) {
                        writeValue(c, trialId, i, template.values().get(i));
                    }
                }
                for (Map.Entry<Integer, Double> e : template.intermediateValues().entrySet()) {
                    writeIntermediate(c, trialId, e.getKey(), e.getValue());
                }
                Map<String, Object> user = writeAttrs(c, q.upsertTrialUserAttr, trialId, template.userAttrs());
                Map<String, Object> system = writeAttrs(c, q.upsertTrialSystemAttr, trialId, template.systemAttrs());
                return new FrozenTrial(trialId, number, state, template.values(), startF, completeF, params, dists,
                        user, system, template.intermediateValues());
            });
            studyOfTrial.put(created.trialId(), studyId);
            StudyCache sc = caches.get(studyId);
            if (sc != null) {
                sc.put(created);
                created.distributions().forEach(sc.firstDistribution::putIfAbsent);
            }
            return created.trialId();
        });
    }

    private Map<String, Object> writeAttrs(Connection c, String sql, long trialId, Map<String, Object> attrs)
            throws SQLException {
        Map<String, Object> stored = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            String json = OptunaJson.dumps(e.getValue());
            update(c, sql, trialId, e.getKey(), json);
            stored.put(e.getKey(), OptunaJson.loads(json));
        }
        return stored;
    }

    @Override
    public void setTrialParam(long trialId, String paramName, double internalValue, Distribution distribution) {
        Objects.requireNonNull(paramName, "paramName");
        Objects.requireNonNull(distribution, "distribution");
        if (Double.isNaN(internalValue)) {
            throw new IllegalArgumentException("parameter '" + paramName + "' cannot be NaN");
        }
        locked(() -> {
            String json = json(distribution);
            Distribution stored = distribution(json);
            long studyId = tx(true, "set parameter '" + paramName + "' of trial " + trialId, c -> {
                boolean oneStatement = q.upsertParamIfUpdatable != null;
                long sid = oneStatement ? studyIdOf(c, trialId) : lockUpdatableTrial(c, trialId).studyId;
                StudyCache sc = caches.get(sid);
                Distribution first = sc == null ? null : sc.firstDistribution.get(paramName);
                if (first == null) {
                    try (Stmt s = stmt(c, q.selectFirstDistribution)) {
                        s.ps.setLong(1, sid);
                        s.ps.setString(2, paramName);
                        try (ResultSet rs = s.ps.executeQuery()) {
                            first = rs.next() ? distribution(rs.getString(1)) : null;
                        }
                    }
                }
                if (first != null) {
                    try {
                        checkCompatible(paramName, first, stored);
                    } catch (IllegalArgumentException e) {
                        if (oneStatement) {
                            lockUpdatableTrial(c, trialId); // a finished or missing trial is reported first
                        }
                        throw e;
                    }
                }
                if (oneStatement) {
                    updateUnfinished(c, trialId, q.upsertParamIfUpdatable, paramName, internalValue, json, trialId);
                } else {
                    update(c, q.upsertParam, trialId, paramName, internalValue, json);
                }
                return sid;
            });
            Object external = stored.toExternal(internalValue);
            StudyCache sc = caches.get(studyId);
            if (sc != null) {
                sc.firstDistribution.putIfAbsent(paramName, stored);
            }
            updateCached(studyId, trialId, t -> {
                Map<String, Object> params = new LinkedHashMap<>(t.params());
                Map<String, Distribution> dists = new LinkedHashMap<>(t.distributions());
                params.put(paramName, external);
                dists.put(paramName, stored);
                return new FrozenTrial(t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(),
                        t.datetimeComplete(), params, dists, t.userAttrs(), t.systemAttrs(), t.intermediateValues());
            });
            return null;
        });
    }

    /** Optuna's {@code check_distribution_compatibility}: same kind, same {@code log}, same categorical choices. */
    static void checkCompatible(String name, Distribution existing, Distribution requested) {
        boolean ok;
        if (existing.getClass() != requested.getClass()) {
            ok = false;
        } else if (existing instanceof CategoricalDistribution a) {
            ok = a.choices().equals(((CategoricalDistribution) requested).choices());
        } else if (existing instanceof FloatDistribution a) {
            ok = a.log() == ((FloatDistribution) requested).log();
        } else {
            ok = ((IntDistribution) existing).log() == ((IntDistribution) requested).log();
        }
        if (!ok) {
            throw new IllegalArgumentException("parameter '" + name + "' was already suggested in this study as "
                    + DistributionJson.toJson(existing) + " and cannot now be " + DistributionJson.toJson(requested)
                    + " (the kind, log flag and categorical choices must stay the same); rename the parameter or"
                    + " use a new study");
        }
    }

    @Override
    public boolean setTrialStateValues(long trialId, TrialState state, List<Double> values) {
        Objects.requireNonNull(state, "state");
        List<Double> vals = values == null ? null : List.copyOf(values);
        if (vals != null) {
            checkValues(vals);
        }
        Instant now = now();
        return locked(() -> {
            Long studyId = tx(true, "set state " + state + " of trial " + trialId, c -> {
                long sid;
                if (q.finishTrialIfUpdatable != null) {
                    // SQLite: each UPDATE checks the state itself; only when it changes nothing is the trial read
                    if (state == TrialState.RUNNING) {
                        if (update(c, q.startWaitingTrial, now, trialId) == 0) {
                            lockUpdatableTrial(c, trialId); // throws if missing or finished; else it is RUNNING
                            return null;
                        }
                    } else if (state.isFinished()) {
                        updateUnfinished(c, trialId, q.finishTrialIfUpdatable, state.name(), now, trialId);
                    } else {
                        updateUnfinished(c, trialId, q.setTrialStateIfUpdatable, state.name(), trialId);
                    }
                    sid = studyIdOf(c, trialId);
                } else {
                    sid = lockUpdatableTrial(c, trialId).studyId;
                    if (state == TrialState.RUNNING) {
                        if (update(c, q.startWaitingTrial, now, trialId) == 0) {
                            return null;
                        }
                    } else if (state.isFinished()) {
                        update(c, q.finishTrial, state.name(), now, trialId);
                    } else {
                        update(c, q.setTrialState, state.name(), trialId);
                    }
                }
                if (vals != null) {
                    for (int i = 0; i < vals.size(); i++) {
                        writeValue(c, trialId, i, vals.get(i));
                    }
                }
                return sid;
            });
            if (studyId == null) {
                return false;
            }
            updateCached(studyId, trialId, t -> new FrozenTrial(t.trialId(), t.number(), state,
                    vals != null ? vals : t.values(), state == TrialState.RUNNING ? now : t.datetimeStart(),
                    state.isFinished() ? now : t.datetimeComplete(), t.params(), t.distributions(), t.userAttrs(),
                    t.systemAttrs(), t.intermediateValues()));
            return true;
        });
    }

    private static void checkValues(List<Double> values) {
        for (Double v : values) {
            if (v == null || v.isNaN()) {
                throw new IllegalArgumentException("objective values must be numbers (infinities allowed, NaN and"
                        + " null not), got " + values + "; report such a trial as FAIL instead");
            }
        }
    }

    @Override
    public void setTrialIntermediateValue(long trialId, int step, double value) {
        locked(() -> {
            long studyId = tx(true, "report step " + step + " of trial " + trialId, c -> {
                if (q.upsertIntermediateIfUpdatable != null) {
                    updateUnfinished(c, trialId, q.upsertIntermediateIfUpdatable, step, finiteOrNull(value),
                            intermediateType(value), trialId);
                    return studyIdOf(c, trialId);
                }
                long sid = lockUpdatableTrial(c, trialId).studyId;
                writeIntermediate(c, trialId, step, value);
                return sid;
            });
            updateCached(studyId, trialId, t -> {
                TreeMap<Integer, Double> iv = new TreeMap<>(t.intermediateValues());
                iv.put(step, value);
                return new FrozenTrial(t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(),
                        t.datetimeComplete(), t.params(), t.distributions(), t.userAttrs(), t.systemAttrs(), iv);
            });
            return null;
        });
    }

    @Override
    public void setTrialUserAttr(long trialId, String key, Object value) {
        writeTrialAttr(trialId, key, value, true);
    }

    @Override
    public void setTrialSystemAttr(long trialId, String key, Object value) {
        writeTrialAttr(trialId, key, value, false);
    }

    private void writeTrialAttr(long trialId, String key, Object value, boolean user) {
        Objects.requireNonNull(key, "key");
        String json = OptunaJson.dumps(value);
        Object stored = OptunaJson.loads(json);
        locked(() -> {
            long studyId = tx(true, "set attribute '" + key + "' of trial " + trialId, c -> {
                String oneStatement = user ? q.upsertTrialUserAttrIfUpdatable : q.upsertTrialSystemAttrIfUpdatable;
                if (oneStatement != null) {
                    updateUnfinished(c, trialId, oneStatement, key, json, trialId);
                    return studyIdOf(c, trialId);
                }
                long sid = lockUpdatableTrial(c, trialId).studyId;
                update(c, user ? q.upsertTrialUserAttr : q.upsertTrialSystemAttr, trialId, key, json);
                return sid;
            });
            updateCached(studyId, trialId, t -> {
                Map<String, Object> attrs = new LinkedHashMap<>(user ? t.userAttrs() : t.systemAttrs());
                attrs.put(key, stored);
                return new FrozenTrial(t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(),
                        t.datetimeComplete(), t.params(), t.distributions(), user ? attrs : t.userAttrs(),
                        user ? t.systemAttrs() : attrs, t.intermediateValues());
            });
            return null;
        });
    }

    private void writeValue(Connection c, long trialId, int objective, double v) throws SQLException {
        update(c, q.upsertValue, trialId, objective, Double.isInfinite(v) ? null : v,
                Double.isInfinite(v) ? (v > 0 ? "INF_POS" : "INF_NEG") : "FINITE");
    }

    private void writeIntermediate(Connection c, long trialId, int step, double v) throws SQLException {
        update(c, q.upsertIntermediate, trialId, step, finiteOrNull(v), intermediateType(v));
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String intermediateType(double v) {
        return Double.isNaN(v) ? "NAN" : Double.isInfinite(v) ? (v > 0 ? "INF_POS" : "INF_NEG") : "FINITE";
    }

    /**
     * Runs one of the SQLite writes that check in the same statement that the trial exists and is unfinished; if it
     * changed nothing, reads the trial to throw the matching exception (missing, or {@link UpdateFinishedTrialException}).
     */
    private void updateUnfinished(Connection c, long trialId, String sql, Object... args) throws SQLException {
        if (update(c, sql, args) == 0) {
            lockUpdatableTrial(c, trialId);
            throw new IllegalStateException("a write to the unfinished trial id " + trialId + " changed no row");
        }
    }

    /**
     * The study of a trial, from memory when this process has seen the trial (a trial never changes study), else
     * read; throws the missing-trial exception if there is no such trial.
     */
    private long studyIdOf(Connection c, long trialId) throws SQLException {
        Long cached = studyOfTrial.get(trialId);
        if (cached != null) {
            return cached;
        }
        Long id = queryLong(c, q.selectStudyOfTrial, trialId);
        if (id == null) {
            lockUpdatableTrial(c, trialId); // throws, naming the trial
            throw new IllegalStateException("trial id " + trialId + " vanished inside a transaction");
        }
        studyOfTrial.put(trialId, id);
        return id;
    }

    /** The trial's study, number and state, locked; throws if it is missing or already finished. */
    private TrialRow lockUpdatableTrial(Connection c, long trialId) throws SQLException {
        try (Stmt s = stmt(c, q.lockTrial)) {
            s.ps.setLong(1, trialId);
            try (ResultSet rs = s.ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StorageException("Trial id " + trialId + " does not exist in storage " + url.display()
                            + ". It may belong to a deleted study; check the trial and study you pass.");
                }
                TrialRow r = new TrialRow(rs.getLong(1), rs.getInt(2), TrialState.valueOf(rs.getString(3)));
                if (r.state.isFinished()) {
                    throw new UpdateFinishedTrialException(r.number, r.state);
                }
                return r;
            }
        }
    }

    private record TrialRow(long studyId, int number, TrialState state) {}

    // =========================================================================================== trials: reads

    @Override
    public long getTrialId(long studyId, int number) {
        return locked(() -> {
            FrozenTrial t = readCache(studyId).byNumber.get(number);
            if (t == null) {
                throw new StorageException("Study '" + getStudyName(studyId) + "' has no trial number " + number
                        + " (it has " + caches.get(studyId).byNumber.size() + " trials, numbered from 0).");
            }
            return t.trialId();
        });
    }

    @Override
    public long getStudyIdOfTrial(long trialId) {
        return locked(() -> {
            Long cached = studyOfTrial.get(trialId);
            if (cached != null) {
                return cached;
            }
            Long id = tx(false, "find trial " + trialId, c -> queryLong(c, q.selectStudyOfTrial, trialId));
            if (id == null) {
                throw new StorageException("Trial id " + trialId + " does not exist in storage " + url.display()
                        + ". Check the trial id, or list trials with 'steeropt trials --study-name <name>'.");
            }
            studyOfTrial.put(trialId, id);
            return id;
        });
    }

    @Override
    public FrozenTrial getTrial(long trialId) {
        return locked(() -> {
            long studyId = getStudyIdOfTrial(trialId);
            FrozenTrial t = readCache(studyId).byId.get(trialId);
            if (t == null) {
                throw new StorageException("Trial id " + trialId + " disappeared from storage " + url.display()
                        + " (its study was deleted by another process).");
            }
            return t;
        });
    }

    @Override
    public List<FrozenTrial> getAllTrials(long studyId, Set<TrialState> states) {
        return locked(() -> {
            List<FrozenTrial> all = readCache(studyId).all();
            if (states == null) {
                return all;
            }
            List<FrozenTrial> out = new ArrayList<>(all.size());
            for (FrozenTrial t : all) {
                if (states.contains(t.state())) {
                    out.add(t);
                }
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** As the contract's default, in one pass over the cached trials instead of a filtered copy and a sort key. */
    @Override
    public FrozenTrial getBestTrial(long studyId) {
        List<StudyDirection> dirs = getStudyDirections(studyId);
        if (dirs.size() != 1) {
            return TrialStore.super.getBestTrial(studyId); // throws, naming the number of objectives
        }
        boolean maximize = dirs.get(0) == StudyDirection.MAXIMIZE;
        return locked(() -> {
            FrozenTrial best = null;
            for (FrozenTrial t : readCache(studyId).all()) { // number order: the first among equals stays
                if (t.state() == TrialState.COMPLETE) {
                    int cmp = best == null ? 0 : Double.compare(t.value(), best.value());
                    if (best == null || (maximize ? cmp > 0 : cmp < 0)) {
                        best = t;
                    }
                }
            }
            if (best == null) {
                throw new IllegalStateException("study " + getStudyName(studyId) + " has no COMPLETE trial yet");
            }
            return best;
        });
    }

    @Override
    public int getNTrials(long studyId, Set<TrialState> states) {
        return getAllTrials(studyId, states).size();
    }

    /** The study's cache, brought up to date with the database. */
    private StudyCache readCache(long studyId) {
        StudyCache sc = caches.get(studyId);
        if (sc == null) {
            getStudyName(studyId); // throws naming the known studies if there is no such study
            sc = new StudyCache();
            caches.put(studyId, sc);
        }
        StudyCache cache = sc;
        try {
            Connection c = source.acquire();
            try {
                Long dataVersion = q.dataVersion == null ? null : queryLong(c, q.dataVersion);
                long token = dataVersion != null ? dataVersion : dialect.changeToken(c);
                if (token == Long.MIN_VALUE || token != changeToken) {
                    changeToken = token;
                    caches.values().forEach(x -> x.stale = true);
                }
            } finally {
                source.release(c);
            }
        } catch (SQLException e) {
            throw fail("check for changes", e);
        }
        if (cache.stale) {
            tx(false, "read the trials of study " + studyId, c -> {
                load(c, studyId, cache);
                return null;
            });
            cache.stale = false;
        }
        return cache;
    }

    /** Reads every trial of the study above the watermark (and its params, values, attributes) into the cache. */
    private void load(Connection c, long studyId, StudyCache sc) throws SQLException {
        long after = sc.watermark;
        Map<Long, TrialBuilder> rows = new LinkedHashMap<>();
        try (Stmt s = stmt(c, q.selectTrialsAfter)) {
            s.ps.setLong(1, studyId);
            s.ps.setLong(2, after);
            try (ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    FrozenTrial known = sc.byId.get(id);
                    if (known != null && known.state().isFinished()) {
                        continue; // finished trials never change
                    }
                    rows.put(id, new TrialBuilder(id, rs.getInt(2), TrialState.valueOf(rs.getString(3)),
                            dialect.getTime(rs, 4), dialect.getTime(rs, 5)));
                }
            }
        }
        if (!rows.isEmpty()) {
            forEachRow(c, q.selectParamsAfter, studyId, after, rows, (b, rs) -> {
                Distribution d = distribution(rs.getString(4));
                double internal = rs.getDouble(3);
                b.params.put(rs.getString(2), d.toExternal(internal));
                b.distributions.put(rs.getString(2), d);
            });
            forEachRow(c, q.selectValuesAfter, studyId, after, rows, (b, rs) -> {
                int objective = rs.getInt(2);
                double v = rs.getDouble(3);
                boolean isNull = rs.wasNull();
                while (b.values.size() <= objective) {
                    b.values.add(Double.NaN);
                }
                b.values.set(objective, decode(isNull ? null : v, rs.getString(4)));
            });
            forEachRow(c, q.selectIntermediateAfter, studyId, after, rows, (b, rs) -> {
                double v = rs.getDouble(3);
                boolean isNull = rs.wasNull();
                b.intermediate.put(rs.getInt(2), decode(isNull ? null : v, rs.getString(4)));
            });
            forEachRow(c, q.selectTrialUserAttrsAfter, studyId, after, rows,
                    (b, rs) -> b.userAttrs.put(rs.getString(2), OptunaJson.loads(rs.getString(3))));
            forEachRow(c, q.selectTrialSystemAttrsAfter, studyId, after, rows,
                    (b, rs) -> b.systemAttrs.put(rs.getString(2), OptunaJson.loads(rs.getString(3))));
        }
        for (TrialBuilder b : rows.values()) {
            FrozenTrial t = b.build();
            sc.put(t);
            studyOfTrial.put(t.trialId(), studyId);
            t.distributions().forEach(sc.firstDistribution::putIfAbsent);
        }
        sc.advanceWatermark();
    }

    private static double decode(Double value, String type) {
        switch (type) {
            case "FINITE":
                return value == null ? Double.NaN : value;
            case "INF_POS":
                return Double.POSITIVE_INFINITY;
            case "INF_NEG":
                return Double.NEGATIVE_INFINITY;
            case "NAN":
                return Double.NaN;
            default:
                throw new IllegalStateException("unknown value type '" + type + "' in the database");
        }
    }

    @FunctionalInterface
    private interface RowReader {
        void read(TrialBuilder b, ResultSet rs) throws SQLException;
    }

    private void forEachRow(Connection c, String sql, long studyId, long after, Map<Long, TrialBuilder> rows,
            RowReader reader) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            s.ps.setLong(1, studyId);
            s.ps.setLong(2, after);
            try (ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    TrialBuilder b = rows.get(rs.getLong(1));
                    if (b != null) {
                        reader.read(b, rs);
                    }
                }
            }
        }
    }

    private void updateCached(long studyId, long trialId, UnaryOperator<FrozenTrial> change) {
        StudyCache sc = caches.get(studyId);
        if (sc == null) {
            return;
        }
        FrozenTrial t = sc.byId.get(trialId);
        if (t != null) {
            sc.put(change.apply(t));
        }
    }

    /** {@code distribution_json} of a distribution; distributions are immutable values, so the text is cached. */
    private String json(Distribution d) {
        String json = distributionJson.get(d);
        if (json == null) {
            if (distributionJson.size() >= 4096) {
                distributionJson.clear(); // a study with ever-changing ranges: keep the cache bounded
            }
            json = DistributionJson.toJson(d);
            distributionJson.put(d, json);
        }
        return json;
    }

    private Distribution distribution(String json) {
        Distribution d = parsedDistributions.get(json);
        if (d == null) {
            d = DistributionJson.fromJson(json);
            parsedDistributions.put(json, d);
        }
        return d;
    }

    /** The trials of one study this process has seen; see the class comment. */
    private static final class StudyCache {
        final TreeMap<Long, FrozenTrial> byId = new TreeMap<>();
        final TreeMap<Integer, FrozenTrial> byNumber = new TreeMap<>();
        final Map<String, Distribution> firstDistribution = new HashMap<>();
        /** Every cached trial with an id up to this one is finished, so it is never read again. */
        long watermark;
        boolean stale = true;
        private List<FrozenTrial> all;

        void put(FrozenTrial t) {
            byId.put(t.trialId(), t);
            byNumber.put(t.number(), t);
            all = null;
        }

        List<FrozenTrial> all() {
            if (all == null) {
                all = Collections.unmodifiableList(new ArrayList<>(byNumber.values()));
            }
            return all;
        }

        void advanceWatermark() {
            for (FrozenTrial t : byId.tailMap(watermark, false).values()) {
                if (!t.state().isFinished()) {
                    return;
                }
                watermark = t.trialId();
            }
        }
    }

    private static final class TrialBuilder {
        final long id;
        final int number;
        final TrialState state;
        final Instant start;
        final Instant complete;
        final Map<String, Object> params = new LinkedHashMap<>();
        final Map<String, Distribution> distributions = new LinkedHashMap<>();
        final List<Double> values = new ArrayList<>();
        final TreeMap<Integer, Double> intermediate = new TreeMap<>();
        final Map<String, Object> userAttrs = new LinkedHashMap<>();
        final Map<String, Object> systemAttrs = new LinkedHashMap<>();

        TrialBuilder(long id, int number, TrialState state, Instant start, Instant complete) {
            this.id = id;
            this.number = number;
            this.state = state;
            this.start = start;
            this.complete = complete;
        }

        FrozenTrial build() {
            return new FrozenTrial(id, number, state, values.isEmpty() ? null : values, start, complete, params,
                    distributions, userAttrs, systemAttrs, intermediate);
        }
    }

    // =========================================================================================== heartbeats

    @Override
    public void recordHeartbeat(long trialId) {
        tx(true, "record the heartbeat of trial " + trialId, c -> {
            Instant dbNow = dbNow(c);
            update(c, q.upsertHeartbeat, trialId, dbNow);
            return null;
        });
    }

    @Override
    public List<Long> failStaleTrials(long studyId) {
        if (options.heartbeatInterval() == null) {
            return List.of();
        }
        Duration grace = options.gracePeriod();
        return locked(() -> {
            List<Long> failed = tx(true, "fail stale trials of study " + studyId, c -> {
                Instant dbNow = dbNow(c);
                Instant limit = dbNow.minus(grace);
                List<Long> stale = new ArrayList<>();
                try (Stmt s = stmt(c, q.selectRunningHeartbeats)) {
                    s.ps.setLong(1, studyId);
                    try (ResultSet rs = s.ps.executeQuery()) {
                        while (rs.next()) {
                            Instant beat = dialect.getTime(rs, 2);
                            if (beat.isBefore(limit)) {
                                stale.add(rs.getLong(1));
                            }
                        }
                    }
                }
                List<Long> done = new ArrayList<>();
                for (long id : stale) {
                    if (update(c, q.failIfRunning, now(), id) == 1) {
                        done.add(id);
                    }
                }
                return done;
            });
            StudyCache sc = caches.get(studyId);
            if (sc != null && !failed.isEmpty()) {
                sc.stale = true;
                changeToken = Long.MIN_VALUE;
            }
            if (!failed.isEmpty()) {
                LOG.warn("Marked {} trial(s) of study {} as FAIL: no heartbeat for more than {} ms (trial ids {}).",
                        failed.size(), studyId, grace.toMillis(), failed);
            }
            return failed;
        });
    }

    @Override
    public Optional<Integer> heartbeatIntervalSeconds() {
        Duration d = options.heartbeatInterval();
        return d == null ? Optional.empty() : Optional.of((int) Math.max(1, (d.toMillis() + 999) / 1000));
    }

    /** The configured heartbeat interval with sub-second precision, if heartbeats are on. */
    public Optional<Duration> heartbeatInterval() {
        return Optional.ofNullable(options.heartbeatInterval());
    }

    private Instant dbNow(Connection c) throws SQLException {
        try (Stmt s = stmt(c, q.selectNow); ResultSet rs = s.ps.executeQuery()) {
            rs.next();
            return micros(dialect.getTime(rs, 1));
        }
    }

    // =========================================================================================== plumbing

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

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction (a write transaction holds the write lock throughout). */
    private <T> T tx(boolean write, String what, Work<T> work) {
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
                begin(c, write);
                T result = work.run(c);
                commit(c);
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw fail(what, e);
            } catch (RuntimeException e) {
                rollbackQuietly(c);
                throw e;
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

    /** Starts a transaction: on SQLite through a cached statement ({@code BEGIN IMMEDIATE} for writes). */
    private void begin(Connection c, boolean write) throws SQLException {
        String sql = write ? q.beginWrite : q.beginRead;
        if (sql == null) {
            dialect.begin(c, write);
            return;
        }
        try (Stmt s = stmt(c, sql)) {
            s.ps.execute();
        }
    }

    private void commit(Connection c) throws SQLException {
        if (q.commit == null) {
            dialect.commit(c);
            return;
        }
        try (Stmt s = stmt(c, q.commit)) {
            s.ps.execute();
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            dialect.rollback(c);
        } catch (SQLException e) {
            LOG.debug("rollback failed (the transaction may not have started)", e);
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

    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("UNIQUE constraint");
    }

    private String requireStudy(Connection c, long studyId) throws SQLException {
        try (Stmt s = stmt(c, q.selectStudyName)) {
            s.ps.setLong(1, studyId);
            try (ResultSet rs = s.ps.executeQuery()) {
                if (rs.next()) {
                    String name = rs.getString(1);
                    studyNames.put(studyId, name);
                    return name;
                }
            }
        }
        throw studyMissing(c, studyId);
    }

    private StorageException studyMissing(Connection c, long studyId) throws SQLException {
        List<String> known = new ArrayList<>();
        try (Stmt s = stmt(c, q.selectAllStudies); ResultSet rs = s.ps.executeQuery()) {
            while (rs.next()) {
                known.add(rs.getString(2) + " (id " + rs.getLong(1) + ")");
            }
        }
        return new StorageException("Study id " + studyId + " does not exist in storage " + url.display()
                + (known.isEmpty() ? " (it has no studies)" : " (studies here: " + String.join(", ", known) + ")")
                + ". It may have been deleted; check --study-name and --storage.");
    }

    /** A prepared statement, kept open for reuse where the dialect allows it, else closed after use. */
    private final class Stmt implements AutoCloseable {
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

    private Stmt stmt(Connection c, String sql) throws SQLException {
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

    private void bind(PreparedStatement ps, Object... args) throws SQLException {
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

    private int update(Connection c, String sql, Object... args) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            bind(s.ps, args);
            return s.ps.executeUpdate();
        }
    }

    /** The first column of the first row as a long, or null if there is no row. */
    private Long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (Stmt s = stmt(c, sql)) {
            bind(s.ps, args);
            try (ResultSet rs = s.ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
