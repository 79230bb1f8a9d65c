package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Each study's trials in memory, as immutable {@link FrozenTrial}s. Finished trials never change, so only the trials
 * with an id above the study's watermark (the largest id below which every trial is finished) are ever re-read, and
 * only when another connection may have written: on SQLite when {@code PRAGMA data_version} moved, on PostgreSQL at
 * every read. The store's own writes update the cache after they commit. Not thread-safe: the store calls it under
 * its lock.
 */
final class TrialCache {
    private final Transactions tx;
    private final Dialect dialect;
    private final Queries q;
    private final DistributionTexts distributions;
    private final Map<Long, StudyTrials> studies = new HashMap<>();
    private final Map<Long, Long> studyOfTrial = new HashMap<>();
    private long changeToken = Long.MIN_VALUE;

    TrialCache(Transactions tx, Dialect dialect, DistributionTexts distributions) {
        this.tx = tx;
        this.dialect = dialect;
        this.q = dialect.queries();
        this.distributions = distributions;
    }

    /** The study of a trial this process has seen (a trial never changes study), or null. */
    Long studyOf(long trialId) {
        return studyOfTrial.get(trialId);
    }

    void rememberStudyOf(long trialId, long studyId) {
        studyOfTrial.put(trialId, studyId);
    }

    /** The first distribution this process saw for a parameter of a study, or null. */
    Distribution firstDistribution(long studyId, String param) {
        StudyTrials st = studies.get(studyId);
        return st == null ? null : st.firstDistribution.get(param);
    }

    void noteDistribution(long studyId, String param, Distribution d) {
        StudyTrials st = studies.get(studyId);
        if (st != null) {
            st.firstDistribution.putIfAbsent(param, d);
        }
    }

    /** A trial this process just created. */
    void created(long studyId, FrozenTrial t) {
        studyOfTrial.put(t.trialId(), studyId);
        StudyTrials st = studies.get(studyId);
        if (st != null) {
            st.put(t);
            t.distributions().forEach(st.firstDistribution::putIfAbsent);
        }
    }

    /** Applies a write this process committed to the cached trial, if cached. */
    void changed(long studyId, long trialId, UnaryOperator<FrozenTrial> change) {
        StudyTrials st = studies.get(studyId);
        if (st == null) {
            return;
        }
        FrozenTrial t = st.byId.get(trialId);
        if (t != null) {
            st.put(change.apply(t));
        }
    }

    /** Forgets a deleted study. */
    void removeStudy(long studyId) {
        StudyTrials st = studies.remove(studyId);
        if (st != null) {
            st.byId.keySet().forEach(studyOfTrial::remove);
        }
    }

    /** Makes the next read of the study re-read its unfinished trials (after a write outside the cache's view). */
    void invalidate(long studyId) {
        StudyTrials st = studies.get(studyId);
        if (st != null) {
            st.stale = true;
            changeToken = Long.MIN_VALUE;
        }
    }

    /**
     * The study's trials, brought up to date with the database.
     *
     * @param requireStudy throws (naming the known studies) if the study does not exist; run for an uncached study
     */
    StudyTrials read(long studyId, Runnable requireStudy) {
        StudyTrials st = studies.get(studyId);
        if (st == null) {
            requireStudy.run();
            st = new StudyTrials();
            studies.put(studyId, st);
        }
        long token = tx.onConnection("check for changes", c -> dialect.changeToken(tx, c));
        if (token == Long.MIN_VALUE || token != changeToken) {
            changeToken = token;
            studies.values().forEach(x -> x.stale = true);
        }
        if (st.stale) {
            StudyTrials target = st;
            tx.run(false, "read the trials of study " + studyId, c -> {
                load(c, studyId, target);
                return null;
            });
            st.stale = false;
        }
        return st;
    }

    /** Reads every trial of the study above the watermark (and its params, values, attributes) into the cache. */
    private void load(Connection c, long studyId, StudyTrials st) throws SQLException {
        long after = st.watermark;
        Map<Long, TrialBuilder> rows = new LinkedHashMap<>();
        try (Transactions.Stmt s = tx.stmt(c, q.selectTrialsAfter)) {
            s.ps.setLong(1, studyId);
            s.ps.setLong(2, after);
            try (ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    FrozenTrial known = st.byId.get(id);
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
                Distribution d = distributions.parse(rs.getString(4));
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
            st.put(t);
            studyOfTrial.put(t.trialId(), studyId);
            t.distributions().forEach(st.firstDistribution::putIfAbsent);
        }
        st.advanceWatermark();
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
        try (Transactions.Stmt s = tx.stmt(c, sql)) {
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

    /** The trials of one study this process has seen. */
    static final class StudyTrials {
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

        /** Every cached trial in number order (an unmodifiable list, rebuilt only after a change). */
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
}
