package dev.steeropt.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Resident memory of this process from {@code /proc/self/status}: {@code VmHWM} (peak RSS, as {@code ru_maxrss} in
 * hf-bench) and {@code VmRSS} (current). Native memory held by PyTorch counts, unlike the Java heap figures.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Peak resident set size in kB, if {@code /proc/self/status} exists (Linux). */
    public static OptionalLong peakRssKb() {
        return field("VmHWM:");
    }

    /** Current resident set size in kB, if available. */
    public static OptionalLong rssKb() {
        return field("VmRSS:");
    }

    /** Parses {@code "VmHWM:   123456 kB"}-style lines of a status text. */
    static OptionalLong parse(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
                    throw new IllegalStateException("unexpected unit in '" + line + "'; expected kB");
                }
                return OptionalLong.of(value);
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong field(String key) {
        try {
            return parse(Files.readString(STATUS), key);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
