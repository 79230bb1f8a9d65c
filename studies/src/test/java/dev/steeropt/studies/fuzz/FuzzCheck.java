package dev.steeropt.studies.fuzz;

import dev.steeropt.studies.errors.UserFacingException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one fuzz case and checks the three properties every parser of user input must keep: it returns normally or
 * throws a {@link UserFacingException} whose message is one non-blank line of bounded length (no other exception or
 * error); it finishes within a deadline; and the bytes it allocates stay within a budget derived from the input's
 * size, so a length field larger than the file cannot drive an allocation.
 *
 * <p>Each case runs on a worker thread (so a hang is cut off at the deadline and the allocation counter is that of
 * the case alone). Counts are kept per target and printed by {@link #report(String)}; {@link #total()} is the number
 * of cases run in this JVM.
 */
public final class FuzzCheck {
    /** Per-case deadline: generous for a shared 2-core machine, far below what a hang takes. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Longest accepted error message: an error line quotes values, it does not dump the file. */
    public static final int MAX_MESSAGE_CHARS = UserFacingException.MAX_MESSAGE_CHARS;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Map<String, Counts> COUNTS = new ConcurrentHashMap<>();
    private static final AtomicLong TOTAL = new AtomicLong();
    private static ExecutorService worker = newWorker();

    /** What a case did. */
    public enum Outcome {
        /** The input was accepted (parsed, loaded, rendered). */
        ACCEPTED,
        /** The input was refused with a one-line user error. */
        REFUSED
    }

    private record Counts(AtomicLong accepted, AtomicLong refused, AtomicLong nanos) {
        Counts() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private record Result(Outcome outcome, Throwable thrown, long allocated) {}

    private FuzzCheck() {
    }

    /**
     * Runs {@code action} as one case of {@code target}.
     *
     * @param target           what is fuzzed (e.g. "safetensors"), the key of the printed counts
     * @param input            a short description of the input, printed when the case fails
     * @param allocationBudget the most bytes the case may allocate on the Java heap
     * @param action           the parse or load to run
     * @return whether the input was accepted or refused
     * @throws AssertionError if the action throws anything but a one-line {@link UserFacingException}, runs past
     *                        {@link #DEADLINE}, or allocates more than the budget
     */
    public static Outcome run(String target, String input, long allocationBudget, Callable<?> action) {
        return run(target, input, allocationBudget, DEADLINE, action);
    }

    /** {@link #run(String, String, long, Callable)} with another deadline. */
    public static Outcome run(String target, String input, long allocationBudget, Duration deadline, Callable<?> action) {
        long t0 = System.nanoTime();
        Future<Result> f = worker.submit(() -> {
            long tid = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(tid);
            Outcome outcome;
            Throwable thrown = null;
            try {
                action.call();
                outcome = Outcome.ACCEPTED;
            } catch (Throwable t) { // the point is to see every kind of failure, errors included
                outcome = Outcome.REFUSED;
                thrown = t;
            }
            return new Result(outcome, thrown, THREADS.getThreadAllocatedBytes(tid) - before);
        });
        Result r;
        try {
            r = f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError(target + ": no answer within " + deadline + " (a hang) for input " + input);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the harness itself failed", e.getCause());
        }
        if (r.thrown() != null) {
            checkUserError(target, input, r.thrown());
        }
        if (r.allocated() > allocationBudget) {
            throw new AssertionError(target + ": the case allocated " + r.allocated() + " bytes, more than its budget of "
                    + allocationBudget + " (an allocation driven by a length field?) for input " + input);
        }
        Counts c = COUNTS.computeIfAbsent(target, k -> new Counts());
        (r.outcome() == Outcome.ACCEPTED ? c.accepted() : c.refused()).incrementAndGet();
        c.nanos().addAndGet(System.nanoTime() - t0);
        TOTAL.incrementAndGet();
        return r.outcome();
    }

    /** The default budget for an input of {@code inputBytes}: 32 MB plus 64 bytes per input byte. */
    public static long budgetFor(long inputBytes) {
        return (32L << 20) + 64L * inputBytes;
    }

    private static void checkUserError(String target, String input, Throwable t) {
        UserFacingException e = UserFacingException.of(t).orElse(null);
        if (e == null) {
            AssertionError a = new AssertionError(target + ": " + t.getClass().getName() + " instead of a user error, for input "
                    + input + ": " + t.getMessage());
            a.initCause(t);
            throw a;
        }
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r") || m.length() > MAX_MESSAGE_CHARS) {
            AssertionError a = new AssertionError(target + ": the error message is not one line of at most "
                    + MAX_MESSAGE_CHARS + " characters (" + (m == null ? "null" : m.length() + " chars") + ") for input "
                    + input + ": " + m);
            a.initCause(t);
            throw a;
        }
    }

    /** Cases run in this JVM so far, over every target. */
    public static long total() {
        return TOTAL.get();
    }

    /** Prints the counts of each target and the JVM's running total, e.g. from an {@code @AfterContainer} hook. */
    public static void report(String... targets) {
        for (String target : targets) {
            Counts c = COUNTS.get(target);
            if (c == null) {
                System.out.println("FUZZ " + target + ": no cases ran");
                continue;
            }
            long n = c.accepted().get() + c.refused().get();
            System.out.printf("FUZZ %s: %d cases (%d accepted, %d refused with a user error) in %.1f s; %d fuzz cases"
                    + " in this JVM so far%n", target, n, c.accepted().get(), c.refused().get(), c.nanos().get() / 1e9,
                    total());
        }
    }

    /** Cases per target in this JVM, sorted by target (for tests of the harness). */
    public static Map<String, Long> casesByTarget() {
        Map<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, c) -> out.put(k, c.accepted().get() + c.refused().get()));
        return out;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }
}
