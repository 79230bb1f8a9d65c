package dev.steeropt.studies.artifacts;

import dev.steeropt.studies.errors.UserFacingException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file all at once or not at all: the text goes to a temporary file beside the target, which is moved over
 * the target only when writing succeeded. A run that fails half-way (an exception in the body, a full disk) leaves no
 * partial file behind, and a file that was there before stays as it was.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What writes the file's text. */
    @FunctionalInterface
    public interface Body {
        /** Writes the text to {@code w}. */
        void write(Writer w) throws IOException;
    }

    /** Writes {@code text} to {@code target} atomically (UTF-8). */
    public static Path writeString(Path target, String text) {
        return write(target, w -> w.write(text));
    }

    /**
     * Writes {@code target} (UTF-8) with {@code body} atomically.
     *
     * @throws UserFacingException (exit code 1) if the file cannot be written; the temporary file is removed
     */
    public static Path write(Path target, Body body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            return abs;
        } catch (IOException e) {
            throw UserFacingException.runtime("Cannot write " + abs, e.toString(),
                    "Check that the folder exists and is writable, and that the disk has room.", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded (nothing to delete) or the folder is gone
                }
            }
        }
    }
}
