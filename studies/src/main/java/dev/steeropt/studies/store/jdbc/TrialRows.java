package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.RecordNotFoundException;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.UpdateFinishedTrialException;
import dev.steeropt.optimizer.trial.TrialState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The reads of one trial's row that a write to the trial needs (see {@link Dialect#writeUnfinished}). */
final class TrialRows {
    private final Transactions tx;
    private final Queries q;
    private final TrialCache cache;

    TrialRows(Transactions tx, Queries q, TrialCache cache) {
        this.tx = tx;
        this.q = q;
        this.cache = cache;
    }

    /**
     * The study of a trial, from memory when this process has seen the trial (a trial never changes study), else
     * read; throws naming the trial if it does not exist.
     */
    long studyIdOf(Connection c, long trialId) throws SQLException {
        Long cached = cache.studyOf(trialId);
        if (cached != null) {
            return cached;
        }
        Long id = tx.queryLong(c, q.selectStudyOfTrial, trialId);
        if (id == null) {
            lockUnfinished(c, trialId); // throws, naming the trial
            throw new IllegalStateException("trial id " + trialId + " vanished inside a transaction");
        }
        cache.rememberStudyOf(trialId, id);
        return id;
    }

    /** Reads (on PostgreSQL locks) a trial row and returns its study; throws if it is missing or finished. */
    long lockUnfinished(Connection c, long trialId) throws SQLException {
        try (Transactions.Stmt s = tx.stmt(c, q.lockTrial)) {
            s.ps.setLong(1, trialId);
            try (ResultSet rs = s.ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RecordNotFoundException("Trial id " + trialId + " does not exist in storage "
                            + tx.url().display() + ". It may belong to a deleted study; check the trial and study you"
                            + " pass.", false);
                }
                TrialState state = TrialState.valueOf(rs.getString(3));
                if (state.isFinished()) {
                    throw new UpdateFinishedTrialException(rs.getInt(2), state);
                }
                return rs.getLong(1);
            }
        }
    }
}
