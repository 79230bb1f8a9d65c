package dev.steeropt.studies.pipeline;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress lines on stderr for long stages: {@code label: 12/48 (25%), 3.1 s elapsed, ETA 9 s}, at most one line
 * every two seconds plus the final one. Not thread-safe (one stage at a time).
 */
public final class Progress {
    private static final long MIN_GAP_NANOS = 2_000_000_000L;
    private final PrintWriter err;
    private final LongSupplier nanoClock;
    private String label = "";
    private long total;
    private long done;
    private long t0;
    private long lastPrint;

    /** Progress written to {@code err}. */
    public Progress(PrintWriter err) {
        this(err, System::nanoTime);
    }

    /** Progress with an injected monotonic clock in nanoseconds (tests). */
    Progress(PrintWriter err, LongSupplier nanoClock) {
        this.err = err;
        this.nanoClock = nanoClock;
    }

    /** Starts a stage of {@code total} units. */
    public void start(String label, long total) {
        this.label = label;
        this.total = total;
        this.done = 0;
        this.t0 = nanoClock.getAsLong();
        this.lastPrint = t0;
        err.printf(Locale.ROOT, "%s: 0/%d%n", label, total);
        err.flush();
    }

    /** Adds {@code n} finished units; prints when enough time passed or the stage is complete. */
    public void advance(long n) {
        done += n;
        long now = nanoClock.getAsLong();
        if (done >= total || now - lastPrint >= MIN_GAP_NANOS) {
            lastPrint = now;
            double el = (now - t0) / 1e9;
            String eta = done >= total ? "done" : String.format(Locale.ROOT, "ETA %s", seconds(el / done * (total - done)));
            err.printf(Locale.ROOT, "%s: %d/%d (%d%%), %s elapsed, %s%n", label, done, total,
                    total == 0 ? 100 : done * 100 / total, seconds(el), eta);
            err.flush();
        }
    }

    /** A one-off line. */
    public void note(String message) {
        err.println(message);
        err.flush();
    }

    static String seconds(double s) {
        if (s < 90) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        if (s < 5400) {
            return String.format(Locale.ROOT, "%.1f min", s / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
}
