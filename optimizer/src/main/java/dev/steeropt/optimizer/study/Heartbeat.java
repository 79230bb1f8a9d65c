package dev.steeropt.optimizer.study;

import dev.steeropt.optimizer.storage.TrialStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a running trial's heartbeat now and then every interval from a daemon thread, while the objective runs
 * (Optuna's {@code _heartbeat}). A no-op when the store has heartbeats disabled.
 */
final class Heartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    private static final Heartbeat NONE = new Heartbeat(null);

    private final Thread thread;

    private Heartbeat(Thread thread) {
        this.thread = thread;
    }

    static Heartbeat start(TrialStore store, long trialId) {
        Optional<Integer> interval = store.heartbeatIntervalSeconds();
        if (interval.isEmpty()) {
            return NONE;
        }
        long millis = interval.get() * 1000L;
        store.recordHeartbeat(trialId);
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    store.recordHeartbeat(trialId);
                } catch (RuntimeException e) {
                    LOG.warn("Could not record the heartbeat of trial id {}: {}. The trial may be failed as stale by "
                            + "another worker if this persists; check the storage connection.", trialId, e.toString());
                }
            }
        }, "steeropt-heartbeat-" + trialId);
        t.setDaemon(true);
        t.start();
        return new Heartbeat(t);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
