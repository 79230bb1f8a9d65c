package dev.steeropt.studies.store.jdbc;

import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialProcess;
import dev.steeropt.studies.store.TrialQuota;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats of running trials, judged by the database clock (never a worker's): a running trial writes "alive now"
 * every interval, and a RUNNING trial whose last heartbeat is older than the grace period, or whose process on this
 * host is gone, is failed as dead.
 */
final class Heartbeats {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private final Transactions tx;
    private final Dialect dialect;
    private final Queries q;
    private final StoreOptions options;
    private final Supplier<Instant> now;

    Heartbeats(Transactions tx, Dialect dialect, StoreOptions options, Supplier<Instant> now) {
        this.tx = tx;
        this.dialect = dialect;
        this.q = dialect.queries();
        this.options = options;
        this.now = now;
    }

    /** Whether heartbeats are on. */
    boolean enabled() {
        return options.heartbeatInterval() != null;
    }

    /** Writes "this trial is alive now" (database time). */
    void record(long trialId) {
        tx.run(true, "record the heartbeat of trial " + trialId, c -> {
            tx.update(c, q.upsertHeartbeat, trialId, dbNow(c));
            return null;
        });
    }

    /**
     * Fails every RUNNING trial of the study whose process is dead: its heartbeat is older than the grace period
     * (when heartbeats are on), or it names a process of this host that no longer exists ({@link TrialProcess}), which
     * needs no waiting. Each such trial gets {@code fail_reason} and {@link TrialQuota#LOST_ATTR} (which tells a loss
     * from an objective failure) in the same transaction; as FAIL it holds no quota slot. Returns the ids this call
     * failed.
     */
    List<Long> failDead(long studyId) {
        Duration grace = options.gracePeriod();
        Map<Long, String> failed = tx.run(true, "fail stale trials of study " + studyId, c -> {
            Map<Long, String> dead = new LinkedHashMap<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectRunningOwners)) {
                tx.bind(s.ps, studyId, TrialProcess.ATTR);
                try (ResultSet rs = s.ps.executeQuery()) {
                    while (rs.next()) {
                        Object who = OptunaJson.loads(rs.getString(2));
                        if (who instanceof String w && TrialProcess.isDeadHere(w)) {
                            dead.put(rs.getLong(1), "its process " + w + " no longer exists (killed or crashed)");
                        }
                    }
                }
            }
            if (enabled()) {
                Instant limit = dbNow(c).minus(grace);
                try (Transactions.Stmt s = tx.stmt(c, q.selectRunningHeartbeats)) {
                    s.ps.setLong(1, studyId);
                    try (ResultSet rs = s.ps.executeQuery()) {
                        while (rs.next()) {
                            if (dialect.getTime(rs, 2).isBefore(limit)) {
                                dead.putIfAbsent(rs.getLong(1), "no heartbeat for more than " + grace.toMillis()
                                        + " ms (its process died or lost the database)");
                            }
                        }
                    }
                }
            }
            Map<Long, String> done = new LinkedHashMap<>();
            for (Map.Entry<Long, String> e : dead.entrySet()) {
                if (tx.update(c, q.failIfRunning, now.get(), e.getKey()) == 1) {
                    String reason = OptunaJson.dumps("lost: " + e.getValue());
                    tx.update(c, TrialWrite.SYSTEM_ATTR.plain, "fail_reason", reason, e.getKey());
                    tx.update(c, TrialWrite.SYSTEM_ATTR.plain, TrialQuota.LOST_ATTR, reason, e.getKey());
                    done.put(e.getKey(), e.getValue());
                }
            }
            return done;
        });
        failed.forEach((id, why) -> LOG.warn("Marked trial id {} of study {} as FAIL: {}.", id, studyId, why));
        return List.copyOf(failed.keySet());
    }

    private Instant dbNow(Connection c) throws SQLException {
        try (Transactions.Stmt s = tx.stmt(c, q.selectNow); ResultSet rs = s.ps.executeQuery()) {
            rs.next();
            return dialect.getTime(rs, 1).truncatedTo(ChronoUnit.MICROS);
        }
    }
}
