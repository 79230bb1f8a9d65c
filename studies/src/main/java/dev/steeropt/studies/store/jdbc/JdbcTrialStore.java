package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.storage.RecordNotFoundException;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialQuota;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
 * <p><b>Cost of a write on SQLite.</b> Every statement, transaction control included, is prepared once per connection.
 * A trial write is one statement that also checks that the trial is unfinished ({@link TrialWrite#guarded}); only when
 * it changes no row is the trial read, to say whether it is missing or finished. A new trial's number is counted inside
 * its {@code INSERT}, and ids come from {@code RETURNING}. So an ask + 5 suggests + tell is seven transactions.
 * PostgreSQL locks the row ({@code SELECT ... FOR UPDATE}) before each write.
 *
 * <p><b>Durability.</b> A method that writes returns after its transaction committed. SQLite runs in WAL mode with
 * {@code synchronous=NORMAL}: a commit survives the crash or {@code kill -9} of any process, but the last commits
 * before a power loss or kernel crash may be rolled back (the database stays consistent). Nothing is buffered: each
 * parameter is committed before {@code setTrialParam} returns, so other workers (constant liar) and a crash-retry see
 * it from then on.
 *
 * <p><b>Parts.</b> {@link Transactions} (connections, transactions, statement cache, errors), {@link Dialect} (what
 * differs between SQLite and PostgreSQL, including the single-statement writes), {@link SchemaCheck},
 * {@link StudyRows}, {@link TrialCache} (the per-study cache of immutable {@link FrozenTrial}s), {@link TrialRows},
 * {@link TrialSlots} (quotas) and {@link Heartbeats} (dead trials); this class puts them together.
 */
public final class JdbcTrialStore implements TrialStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTrialStore.class);

    private final StorageUrl url;
    private final Dialect dialect;
    private final Queries q;
    private final StoreOptions options;
    private final Clock clock;
    private final Transactions tx;
    private final Heartbeats heartbeats;

    // everything below is guarded by the lock of `tx`
    private final TrialCache cache;
    private final DistributionTexts distributions = new DistributionTexts();
    private final StudyRows studies;
    private final TrialRows rows;
    private final TrialSlots slots;

    private JdbcTrialStore(StorageUrl url, Dialect dialect, Dialect.ConnectionSource source, StoreOptions options,
            Clock clock) {
        this.url = url;
        this.dialect = dialect;
        this.q = dialect.queries();
        this.options = options;
        this.clock = clock;
        this.tx = new Transactions(url, dialect, source);
        this.heartbeats = new Heartbeats(tx, dialect, options, this::now);
        this.cache = new TrialCache(tx, dialect, distributions);
        this.studies = new StudyRows(tx, dialect);
        this.rows = new TrialRows(tx, dialect.queries(), cache);
        this.slots = new TrialSlots(tx, dialect.queries());
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
            SchemaCheck.ensure(store.tx, dialect, options.createIfMissing());
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
        return tx.locked(() -> {
            long id = studies.create(studyName, dirs);
            LOG.info("A new study created in {} with name: {}", url.kind() == StorageUrl.Kind.SQLITE ? "SQLite"
                    : "PostgreSQL", studyName);
            return id;
        });
    }

    @Override
    public void deleteStudy(long studyId) {
        tx.locked(() -> {
            studies.delete(studyId);
            cache.removeStudy(studyId);
            return null;
        });
    }

    @Override
    public Optional<Long> findStudyId(String studyName) {
        Objects.requireNonNull(studyName, "studyName");
        return Optional.ofNullable(tx.locked(() -> studies.find(studyName)));
    }

    @Override
    public String getStudyName(long studyId) {
        return tx.locked(() -> studies.name(studyId));
    }

    @Override
    public List<StudyDirection> getStudyDirections(long studyId) {
        return tx.locked(() -> studies.directions(studyId));
    }

    @Override
    public Map<String, Object> getStudyUserAttrs(long studyId) {
        return tx.locked(() -> studies.attrs(studyId, false));
    }

    @Override
    public Map<String, Object> getStudySystemAttrs(long studyId) {
        return tx.locked(() -> studies.attrs(studyId, true));
    }

    @Override
    public void setStudyUserAttr(long studyId, String key, Object value) {
        Objects.requireNonNull(key, "key");
        tx.locked(() -> {
            studies.setAttr(studyId, false, key, value);
            return null;
        });
    }

    @Override
    public void setStudySystemAttr(long studyId, String key, Object value) {
        Objects.requireNonNull(key, "key");
        tx.locked(() -> {
            studies.setAttr(studyId, true, key, value);
            return null;
        });
    }

    /**
     * Sets (or with null clears) the quota this store enforces when a trial of the study becomes RUNNING: creating a
     * trial or taking a WAITING one then throws {@link TrialQuota.Exhausted} once a limit is reached.
     */
    public void setQuota(long studyId, TrialQuota quota) {
        tx.locked(() -> {
            slots.set(studyId, quota);
            return null;
        });
    }

    /**
     * Sets the study system attribute {@code key} to {@code value} unless it is already set, in one transaction under
     * the study row's write lock (an atomic compare-and-set); returns the value it holds afterwards: {@code value} if
     * this call set it, else the value set before (the winner's).
     */
    public Object claimStudySystemAttr(long studyId, String key, Object value) {
        Objects.requireNonNull(key, "key");
        return tx.locked(() -> studies.claimAttr(studyId, key, value));
    }

    @Override
    public List<StudySummary> getAllStudies() {
        return tx.locked(studies::all);
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
        return tx.locked(() -> {
            FrozenTrial created = tx.run(true, "create a trial in study " + studyId, c -> {
                if (template == null) {
                    slots.reserve(c, studyId);
                }
                Dialect.NewTrial row = dialect.insertTrial(tx, c, studyId, state.name(), startF, completeF);
                if (row == null) {
                    throw studies.studyMissing(c, studyId);
                }
                long trialId = row.trialId();
                if (template == null) {
                    return new FrozenTrial(trialId, row.number(), state, null, startF, null, null, null, null,
                            slots.tag(c, studyId, trialId), null);
                }
                Map<String, Object> params = new LinkedHashMap<>();
                Map<String, Distribution> dists = new LinkedHashMap<>();
                for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
                    String json = distributions.json(e.getValue());
                    Distribution d = distributions.parse(json);
                    double internal = template.internalParam(e.getKey());
                    tx.update(c, TrialWrite.PARAM.plain, e.getKey(), internal, json, trialId);
                    params.put(e.getKey(), d.toExternal(internal));
                    dists.put(e.getKey(), d);
                }
                if (template.values() != null) {
                    for (int i = 0; i < template.values().size(); i++) {
                        tx.update(c, TrialWrite.VALUE.plain, TrialWrite.valueArgs(i, template.values().get(i), trialId));
                    }
                }
                for (Map.Entry<Integer, Double> e : template.intermediateValues().entrySet()) {
                    tx.update(c, TrialWrite.INTERMEDIATE.plain, TrialWrite.intermediateArgs(e.getKey(), e.getValue(), trialId));
                }
                Map<String, Object> user = writeAttrs(c, TrialWrite.USER_ATTR, trialId, template.userAttrs());
                Map<String, Object> system = writeAttrs(c, TrialWrite.SYSTEM_ATTR, trialId, template.systemAttrs());
                return new FrozenTrial(trialId, row.number(), state, template.values(), startF, completeF, params,
                        dists, user, system, template.intermediateValues());
            });
            cache.created(studyId, created);
            return created.trialId();
        });
    }

    private Map<String, Object> writeAttrs(Connection c, TrialWrite write, long trialId, Map<String, Object> attrs)
            throws SQLException {
        Map<String, Object> stored = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            String json = OptunaJson.dumps(e.getValue());
            tx.update(c, write.plain, e.getKey(), json, trialId);
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
        tx.locked(() -> {
            String json = distributions.json(distribution);
            Distribution stored = distributions.parse(json);
            long studyId = tx.run(true, "set parameter '" + paramName + "' of trial " + trialId, c -> {
                long sid = dialect.studyOfWritableTrial(rows, c, trialId);
                Distribution first = cache.firstDistribution(sid, paramName);
                if (first == null) {
                    String text = tx.queryString(c, q.selectFirstDistribution, sid, paramName);
                    first = text == null ? null : distributions.parse(text);
                }
                if (first != null) {
                    try {
                        DistributionTexts.checkCompatible(paramName, first, stored);
                    } catch (IllegalArgumentException e) {
                        rows.lockUnfinished(c, trialId); // a finished or missing trial is reported first
                        throw e;
                    }
                }
                dialect.writeUnfinished(tx, rows, c, trialId, TrialWrite.PARAM, paramName, internalValue, json);
                return sid;
            });
            Object external = stored.toExternal(internalValue);
            cache.noteDistribution(studyId, paramName, stored);
            cache.changed(studyId, trialId, t -> {
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

    @Override
    public boolean setTrialStateValues(long trialId, TrialState state, List<Double> values) {
        Objects.requireNonNull(state, "state");
        List<Double> vals = values == null ? null : List.copyOf(values);
        if (vals != null) {
            checkValues(vals);
        }
        Instant now = now();
        boolean[] retagged = new boolean[1];
        return tx.locked(() -> {
            Long studyId = tx.run(true, "set state " + state + " of trial " + trialId, c -> {
                long sid = dialect.studyOfWritableTrial(rows, c, trialId);
                if (state == TrialState.RUNNING) {
                    slots.reserve(c, sid);
                    if (tx.update(c, q.startWaitingTrial, now, trialId) == 0) {
                        rows.lockUnfinished(c, trialId); // throws if missing or finished; else it is RUNNING
                        return null;
                    }
                    if (!slots.tag(c, sid, trialId).isEmpty()) {
                        retagged[0] = true;
                    }
                } else if (state.isFinished()) {
                    dialect.writeUnfinished(tx, rows, c, trialId, TrialWrite.FINISH, state.name(), now);
                } else {
                    dialect.writeUnfinished(tx, rows, c, trialId, TrialWrite.SET_STATE, state.name());
                }
                if (vals != null) {
                    for (int i = 0; i < vals.size(); i++) {
                        tx.update(c, TrialWrite.VALUE.plain, TrialWrite.valueArgs(i, vals.get(i), trialId));
                    }
                }
                return sid;
            });
            if (studyId == null) {
                return false;
            }
            if (retagged[0]) {
                cache.invalidate(studyId); // the new tags are read back with the trial
            }
            cache.changed(studyId, trialId, t -> new FrozenTrial(t.trialId(), t.number(), state,
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
        tx.locked(() -> {
            long studyId = tx.run(true, "report step " + step + " of trial " + trialId, c -> {
                long sid = dialect.studyOfWritableTrial(rows, c, trialId);
                Object[] args = TrialWrite.intermediateArgs(step, value, trialId);
                dialect.writeUnfinished(tx, rows, c, trialId, TrialWrite.INTERMEDIATE, args[0], args[1], args[2]);
                return sid;
            });
            cache.changed(studyId, trialId, t -> {
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
        tx.locked(() -> {
            long studyId = tx.run(true, "set attribute '" + key + "' of trial " + trialId, c -> {
                long sid = dialect.studyOfWritableTrial(rows, c, trialId);
                dialect.writeUnfinished(tx, rows, c, trialId, user ? TrialWrite.USER_ATTR : TrialWrite.SYSTEM_ATTR,
                        key, json);
                return sid;
            });
            cache.changed(studyId, trialId, t -> {
                Map<String, Object> attrs = new LinkedHashMap<>(user ? t.userAttrs() : t.systemAttrs());
                attrs.put(key, stored);
                return new FrozenTrial(t.trialId(), t.number(), t.state(), t.values(), t.datetimeStart(),
                        t.datetimeComplete(), t.params(), t.distributions(), user ? attrs : t.userAttrs(),
                        user ? t.systemAttrs() : attrs, t.intermediateValues());
            });
            return null;
        });
    }

    // =========================================================================================== trials: reads

    @Override
    public long getTrialId(long studyId, int number) {
        return tx.locked(() -> {
            TrialCache.StudyTrials trials = readCache(studyId);
            FrozenTrial t = trials.byNumber.get(number);
            if (t == null) {
                throw new RecordNotFoundException("Study '" + getStudyName(studyId) + "' has no trial number " + number
                        + " (it has " + trials.byNumber.size() + " trials, numbered from 0).", false);
            }
            return t.trialId();
        });
    }

    @Override
    public long getStudyIdOfTrial(long trialId) {
        return tx.locked(() -> {
            Long cached = cache.studyOf(trialId);
            if (cached != null) {
                return cached;
            }
            Long id = tx.run(false, "find trial " + trialId, c -> tx.queryLong(c, q.selectStudyOfTrial, trialId));
            if (id == null) {
                throw new RecordNotFoundException("Trial id " + trialId + " does not exist in storage " + url.display()
                        + ". Check the trial id, or list trials with 'steeropt trials --study-name <name>'.", false);
            }
            cache.rememberStudyOf(trialId, id);
            return id;
        });
    }

    @Override
    public FrozenTrial getTrial(long trialId) {
        return tx.locked(() -> {
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
        return tx.locked(() -> {
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
        return tx.locked(() -> {
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

    /** The study's trials, brought up to date with the database. */
    private TrialCache.StudyTrials readCache(long studyId) {
        return cache.read(studyId, () -> getStudyName(studyId)); // throws naming the known studies if absent
    }

    // =========================================================================================== heartbeats

    @Override
    public void recordHeartbeat(long trialId) {
        heartbeats.record(trialId);
    }

    @Override
    public List<Long> failStaleTrials(long studyId) {
        return tx.locked(() -> {
            List<Long> failed = heartbeats.failDead(studyId);
            if (!failed.isEmpty()) {
                cache.invalidate(studyId);
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

    // =========================================================================================== plumbing

    @Override
    public void close() {
        tx.close();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
