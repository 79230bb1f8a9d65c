package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.storage.RecordNotFoundException;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.StudySummary;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.studies.store.StorageUrl;
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
import java.util.Objects;

/**
 * The study rows of a store: creation, deletion, names, directions, attributes and the study list, with names and
 * directions (which never change) kept in memory. Not thread-safe: the store calls it under its lock.
 */
final class StudyRows {
    private final Transactions tx;
    private final Dialect dialect;
    private final Queries q;
    private final StorageUrl url;
    private final Map<Long, String> studyNames = new HashMap<>();
    private final Map<Long, List<StudyDirection>> studyDirections = new HashMap<>();

    StudyRows(Transactions tx, Dialect dialect) {
        this.tx = tx;
        this.dialect = dialect;
        this.q = dialect.queries();
        this.url = tx.url();
    }

    /** Creates a study; throws {@link DuplicatedStudyException} if the name is taken. */
    long create(String studyName, List<StudyDirection> dirs) {
        long id = tx.run(true, "create study '" + studyName + "'", c -> {
            if (tx.queryLong(c, q.selectStudyIdByName, studyName) != null) {
                throw new DuplicatedStudyException(studyName);
            }
            long studyId;
            try {
                studyId = tx.queryLong(c, q.insertStudy, studyName);
            } catch (SQLException e) {
                if (isUniqueViolation(e)) {
                    throw new DuplicatedStudyException(studyName);
                }
                throw e;
            }
            for (int i = 0; i < dirs.size(); i++) {
                tx.update(c, q.insertDirection, dirs.get(i).name(), studyId, i);
            }
            return studyId;
        });
        studyNames.put(id, studyName);
        studyDirections.put(id, dirs);
        return id;
    }

    /** Deletes a study and every row that belongs to it. */
    void delete(long studyId) {
        tx.run(true, "delete study " + studyId, c -> {
            requireStudy(c, studyId);
            for (String sql : q.deleteStudy) {
                tx.update(c, sql, studyId);
            }
            return null;
        });
        studyNames.remove(studyId);
        studyDirections.remove(studyId);
    }

    /** The id of the study with this name, or null. */
    Long find(String studyName) {
        return tx.run(false, "find study '" + studyName + "'", c -> tx.queryLong(c, q.selectStudyIdByName, studyName));
    }

    /** A study's name; throws naming the known studies if there is no such study. */
    String name(long studyId) {
        String cached = studyNames.get(studyId);
        return cached != null ? cached : tx.run(false, "read study " + studyId, c -> requireStudy(c, studyId));
    }

    /** A study's directions, one per objective. */
    List<StudyDirection> directions(long studyId) {
        List<StudyDirection> cached = studyDirections.get(studyId);
        if (cached != null) {
            return cached;
        }
        List<StudyDirection> dirs = tx.run(false, "read study " + studyId, c -> {
            requireStudy(c, studyId);
            List<StudyDirection> out = new ArrayList<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectDirections)) {
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
    }

    /** A study's user or system attributes, in insertion order. */
    Map<String, Object> attrs(long studyId, boolean system) {
        String sql = system ? q.selectStudySystemAttrs : q.selectStudyUserAttrs;
        return tx.run(false, "read attributes of study " + studyId, c -> {
            requireStudy(c, studyId);
            Map<String, Object> out = new LinkedHashMap<>();
            try (Transactions.Stmt s = tx.stmt(c, sql)) {
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

    /** Upserts a study attribute under the study row's write lock. */
    void setAttr(long studyId, boolean system, String key, Object value) {
        String sql = system ? q.upsertStudySystemAttr : q.upsertStudyUserAttr;
        Objects.requireNonNull(key, "key");
        String json = OptunaJson.dumps(value);
        tx.run(true, "set attribute '" + key + "' of study " + studyId, c -> {
            if (tx.queryLong(c, q.lockStudy, studyId) == null) {
                throw studyMissing(c, studyId);
            }
            tx.update(c, sql, studyId, key, json);
            return null;
        });
    }

    /** Sets a study system attribute unless it is set; returns the value it holds afterwards. */
    Object claimAttr(long studyId, String key, Object value) {
        String json = OptunaJson.dumps(value);
        return tx.run(true, "claim attribute '" + key + "' of study " + studyId, c -> {
            if (tx.queryLong(c, q.lockStudy, studyId) == null) {
                throw studyMissing(c, studyId);
            }
            String existing = tx.queryString(c, q.selectStudySystemAttr, studyId, key);
            if (existing != null) {
                return OptunaJson.loads(existing);
            }
            tx.update(c, q.upsertStudySystemAttr, studyId, key, json);
            return OptunaJson.loads(json);
        });
    }

    /** Every study with its directions, user attributes, trial count and first start. */
    List<StudySummary> all() {
        return tx.run(false, "list studies", c -> {
            Map<Long, String> names = new LinkedHashMap<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectAllStudies); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getLong(1), rs.getString(2));
                }
            }
            Map<Long, List<StudyDirection>> dirs = new HashMap<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectAllDirections); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    dirs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(StudyDirection.valueOf(rs.getString(2)));
                }
            }
            Map<Long, Map<String, Object>> attrs = new HashMap<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectAllStudyUserAttrs); ResultSet rs = s.ps.executeQuery()) {
                while (rs.next()) {
                    attrs.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), OptunaJson.loads(rs.getString(3)));
                }
            }
            Map<Long, Integer> counts = new HashMap<>();
            Map<Long, Instant> starts = new HashMap<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectTrialCounts); ResultSet rs = s.ps.executeQuery()) {
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

    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("UNIQUE constraint");
    }

    private String requireStudy(Connection c, long studyId) throws SQLException {
        try (Transactions.Stmt s = tx.stmt(c, q.selectStudyName)) {
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

    /** The error for a missing study, naming the studies that exist. */
    StorageException studyMissing(Connection c, long studyId) throws SQLException {
        List<String> known = new ArrayList<>();
        try (Transactions.Stmt s = tx.stmt(c, q.selectAllStudies); ResultSet rs = s.ps.executeQuery()) {
            while (rs.next()) {
                known.add(rs.getString(2) + " (id " + rs.getLong(1) + ")");
            }
        }
        return new RecordNotFoundException("Study id " + studyId + " does not exist in storage " + url.display()
                + (known.isEmpty() ? " (it has no studies)" : " (studies here: " + String.join(", ", known) + ")")
                + ". It may have been deleted; check --study-name and --storage.", false);
    }
}
