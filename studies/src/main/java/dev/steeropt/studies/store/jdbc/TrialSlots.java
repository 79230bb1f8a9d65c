package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.studies.store.TrialProcess;
import dev.steeropt.studies.store.TrialQuota;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Enforces each study's {@link TrialQuota} inside the transaction that makes a trial RUNNING: locks the study row
 * (PostgreSQL; SQLite's {@code BEGIN IMMEDIATE} already holds the write lock), counts the slots held, refuses with
 * {@link TrialQuota.Exhausted} when a limit is reached, and tags the trial with its run and process. Not thread-safe:
 * the store calls it under its lock.
 */
final class TrialSlots {
    private final Transactions tx;
    private final Queries q;
    private final Map<Long, TrialQuota> quotas = new HashMap<>();

    TrialSlots(Transactions tx, Queries q) {
        this.tx = tx;
        this.q = q;
    }

    void set(long studyId, TrialQuota quota) {
        if (quota == null) {
            quotas.remove(studyId);
        } else {
            quotas.put(studyId, quota);
        }
    }

    /**
     * Reserves a slot for a trial of the study about to become RUNNING; throws {@link TrialQuota.Exhausted} if none is
     * free. Does nothing for a study without a quota.
     */
    void reserve(Connection c, long studyId) throws SQLException {
        TrialQuota quota = quotas.get(studyId);
        if (quota == null) {
            return;
        }
        tx.queryLong(c, q.lockStudy, studyId);
        if (quota.maxTrials() != null) {
            long held = tx.queryLong(c, q.countStudySlots, studyId);
            if (held >= quota.maxTrials()) {
                throw new TrialQuota.Exhausted("the study holds " + held + " trials, --max-trials "
                        + quota.maxTrials());
            }
        }
        long run = tx.queryLong(c, q.countRunSlots, TrialQuota.RUN_ATTR, OptunaJson.dumps(quota.runId()), studyId);
        if (run >= quota.runTrials()) {
            throw new TrialQuota.Exhausted("this run holds " + run + " trials, --n-trials " + quota.runTrials());
        }
    }

    /** Tags a trial that just took a slot with its run and process; returns the tags (empty without a quota). */
    Map<String, Object> tag(Connection c, long studyId, long trialId) throws SQLException {
        TrialQuota quota = quotas.get(studyId);
        Map<String, Object> tags = new LinkedHashMap<>();
        if (quota == null) {
            return tags;
        }
        tags.put(TrialQuota.RUN_ATTR, quota.runId());
        tags.put(TrialProcess.ATTR, quota.process());
        for (Map.Entry<String, Object> e : tags.entrySet()) {
            tx.update(c, TrialWrite.SYSTEM_ATTR.plain, e.getKey(), OptunaJson.dumps(e.getValue()), trialId);
        }
        return tags;
    }
}
