package dev.steeropt.studies.store;

import java.time.Duration;

/**
 * How a store is opened.
 *
 * @param heartbeatInterval how often a running trial writes "alive" ({@code null}: heartbeats off, as in Optuna)
 * @param gracePeriod       how old a heartbeat may get before its trial counts as dead; {@code null} means twice
 *                          the interval (Optuna's default)
 * @param createIfMissing   whether a missing SQLite file (and a missing schema) may be created; read-only commands
 *                          pass {@code false} so that a mistyped path is reported instead of creating an empty
 *                          database
 */
public record StoreOptions(Duration heartbeatInterval, Duration gracePeriod, boolean createIfMissing) {

    /** Heartbeats off, create the database if absent. */
    public static final StoreOptions DEFAULTS = new StoreOptions(null, null, true);

    public StoreOptions {
        if (heartbeatInterval != null && (heartbeatInterval.isNegative() || heartbeatInterval.isZero())) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatInterval
                    + "; leave it unset to turn heartbeats off");
        }
        if (gracePeriod != null && heartbeatInterval == null) {
            throw new IllegalArgumentException("a grace period (" + gracePeriod + ") needs a heartbeat interval; "
                    + "set both, or neither");
        }
        if (gracePeriod != null && (gracePeriod.isNegative() || gracePeriod.isZero())) {
            throw new IllegalArgumentException("grace period must be positive, got " + gracePeriod);
        }
        if (heartbeatInterval != null && gracePeriod == null) {
            gracePeriod = heartbeatInterval.multipliedBy(2);
        }
    }

    /** Options with heartbeats every {@code interval} and the default grace period (2 × interval). */
    public static StoreOptions withHeartbeat(Duration interval) {
        return new StoreOptions(interval, null, true);
    }

    /** These options with {@code createIfMissing} changed. */
    public StoreOptions createIfMissing(boolean create) {
        return new StoreOptions(heartbeatInterval, heartbeatInterval == null ? null : gracePeriod, create);
    }
}
