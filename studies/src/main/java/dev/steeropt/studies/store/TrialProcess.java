package dev.steeropt.studies.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process that runs a trial, recorded in the trial's system attribute {@value #ATTR} as {@code label@host:pid}
 * (label {@code main} or {@code worker-k}). On Linux, {@code host} is the host name followed by {@code /} and the
 * process-id space (the first 8 characters of the kernel's boot id and the inode of the pid namespace), so that two
 * containers sharing a host name but not their process ids are told apart. A RUNNING trial of a process in this
 * process-id space that no longer exists is dead and can be failed at once, without waiting for its heartbeat to
 * expire.
 */
public final class TrialProcess {
    /** Trial system attribute naming the process that ran a trial. */
    public static final String ATTR = "steeropt:worker";

    private TrialProcess() {}

    /** This process as {@code host:pid}. */
    public static String current() {
        return host() + ":" + ProcessHandle.current().pid();
    }

    private static final String MACHINE = host() + pidSpace();

    /** This process with a label, as stored in {@value #ATTR}: {@code label@host/space:pid}. */
    public static String labelled(String label) {
        return label + "@" + MACHINE + ":" + ProcessHandle.current().pid();
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
        if (!recorded.substring(at + 1, colon).equals(MACHINE)) {
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

    /** {@code /} + boot id prefix + {@code -} + pid namespace inode, or "" where that cannot be read. */
    private static String pidSpace() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "");
            return boot.length() < 8 || ns.isEmpty() ? "" : "/" + boot.substring(0, 8) + "-" + ns;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
