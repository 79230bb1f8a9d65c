package dev.steeropt.studies.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesTheWholeTextAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = AtomicFile.writeString(dir.resolve("out.json"), "{\"a\": 1}\n");
        assertEquals("{\"a\": 1}\n", Files.readString(f));
        assertEquals(List.of(f), filesIn(dir));
    }

    /** A run that fails after writing half its rows leaves no file behind, and an older file unchanged. */
    @Test
    void aFailureHalfWayLeavesNothingBehindAndKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("trials.csv");
        assertThrows(UserFacingException.class, () -> AtomicFile.write(target, w -> {
            w.write("number,value\n0,0.5\n");
            w.flush();
            throw new IOException("disk full");
        }));
        assertEquals(List.of(), filesIn(dir), "no partial file and no temporary file");

        Files.writeString(target, "old\n");
        assertThrows(UserFacingException.class, () -> AtomicFile.write(target, w -> {
            w.write("new, half");
            throw new IOException("disk full");
        }));
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of(target), filesIn(dir));
    }

    @Test
    void aMissingFolderIsReportedAndCreatesNothing(@TempDir Path dir) {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> AtomicFile.writeString(dir.resolve("no/such/out.json"), "x"));
        assertEquals(1, e.exitCode());
        assertFalse(Files.exists(dir.resolve("no")));
    }
}
