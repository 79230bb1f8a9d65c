package dev.steeropt.studies.store.jdbc;

import dev.steeropt.studies.store.StoreOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats of running trials, judged by the database clock (never a worker's): a running trial writes "alive now"
 * every interval, and a RUNNING trial whose last heartbeat is older than the grace period is failed as dead.
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
     * Fails every RUNNING trial of the study whose heartbeat is older than the grace period; returns the ids this
     * call failed (none when heartbeats are off).
     */
    List<Long> failStale(long studyId) {
        if (!enabled()) {
            return List.of();
        }
        Duration grace = options.gracePeriod();
        List<Long> failed = tx.run(true, "fail stale trials of study " + studyId, c -> {
            Instant limit = dbNow(c).minus(grace);
            List<Long> stale = new ArrayList<>();
            try (Transactions.Stmt s = tx.stmt(c, q.selectRunningHeartbeats)) {
                s.ps.setLong(1, studyId);
                try (ResultSet rs = s.ps.executeQuery()) {
                    while (rs.next()) {
                        if (dialect.getTime(rs, 2).isBefore(limit)) {
                            stale.add(rs.getLong(1));
                        }
                    }
                }
            }
            List<Long> done = new ArrayList<>();
            for (long id : stale) {
                if (tx.update(c, q.failIfRunning, now.get(), id) == 1) {
                    done.add(id);
                }
            }
            return done;
        });
        if (!failed.isEmpty()) {
            LOG.warn("Marked {} trial(s) of study {} as FAIL: no heartbeat for more than {} ms (trial ids {}).",
                    failed.size(), studyId, grace.toMillis(), failed);
        }
        return failed;
    }

    private Instant dbNow(Connection c) throws SQLException {
        try (Transactions.Stmt s = tx.stmt(c, q.selectNow); ResultSet rs = s.ps.executeQuery()) {
            rs.next();
            return dialect.getTime(rs, 1).truncatedTo(ChronoUnit.MICROS);
        }
    }
}
