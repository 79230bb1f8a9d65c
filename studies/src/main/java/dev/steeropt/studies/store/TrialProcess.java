package dev.steeropt.studies.store;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The process that runs a trial, recorded in the trial's system attribute {@value #ATTR} as {@code label@host:pid}
 * (label {@code main} or {@code worker-k}). A RUNNING trial of a process on this host that no longer exists is dead
 * and can be failed at once, without waiting for its heartbeat to expire.
 */
public final class TrialProcess {
    /** Trial system attribute naming the process that ran a trial. */
    public static final String ATTR = "steeropt:worker";

    private TrialProcess() {}

    /** This process as {@code host:pid}. */
    public static String current() {
        return host() + ":" + ProcessHandle.current().pid();
    }

    /** This process with a label, as stored in {@value #ATTR}. */
    public static String labelled(String label) {
        return label + "@" + current();
    }

    /**
     * Whether {@code recorded} (a {@value #ATTR} value) names a process of this host that is no longer running.
     * False for other hosts, for this process, and for values that name no process.
     */
    public static boolean isDeadHere(String recorded) {
        if (recorded == null) {
            return false;
        }
        int at = recorded.lastIndexOf('@');
        int colon = recorded.lastIndexOf(':');
        if (colon <= at + 1) {
            return false;
        }
        if (!recorded.substring(at + 1, colon).equals(host())) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(recorded.substring(colon + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
