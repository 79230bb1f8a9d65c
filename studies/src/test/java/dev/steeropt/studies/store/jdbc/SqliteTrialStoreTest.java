package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.storage.TrialStoreContract;
import dev.steeropt.optimizer.storage.UpdateFinishedTrialException;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StorageUrl;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract, plus SQLite specifics: two stores on one file, heartbeats, durability settings. */
class SqliteTrialStoreTest implements TrialStoreContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    public TrialStore newStore() {
        return open(dir.resolve("contract-" + COUNTER.incrementAndGet() + ".db"), StoreOptions.DEFAULTS);
    }

    static JdbcTrialStore open(Path file, StoreOptions options) {
        return TrialStores.open("sqlite:///" + file.toAbsolutePath(), options);
    }

    @Test
    void aSecondStoreOnTheSameFileSeesTheFirstStoresWritesAtOnce() {
        Path file = dir.resolve("shared.db");
        try (JdbcTrialStore a = open(file, StoreOptions.DEFAULTS); JdbcTrialStore b = open(file, StoreOptions.DEFAULTS)) {
            long study = a.createStudy("shared", List.of(StudyDirection.MINIMIZE));
            long t = a.createTrial(study, null);
            assertEquals(1, b.getNTrials(study, null));
            assertEquals(TrialState.RUNNING, b.getTrial(t).state(), "b caches the RUNNING trial");
            a.setTrialParam(t, "x", 0.5, FloatDistribution.of(0, 1));
            a.setTrialIntermediateValue(t, 0, 2.0);
            FrozenTrial seen = b.getTrial(t);
            assertEquals(Map.of("x", 0.5), seen.params(), "a write by another connection must be noticed");
            assertEquals(2.0, seen.intermediateValues().get(0));
            a.setTrialStateValues(t, TrialState.COMPLETE, List.of(0.25));
            assertEquals(TrialState.COMPLETE, b.getTrial(t).state());
            assertEquals(0.25, b.getBestTrial(study).value());
            long t2 = b.createTrial(study, null);
            assertEquals(1, a.getTrial(t2).number(), "numbers continue across connections");
        }
    }

    /**
     * On SQLite a trial write is one statement guarded by the trial's state: when another process has finished the
     * trial, every kind of write must still be refused with {@link UpdateFinishedTrialException}, even a param whose
     * distribution is also incompatible, and must leave no row behind.
     */
    @Test
    void writesToATrialAnotherStoreFinishedAreRefusedAndLeaveNothing() {
        Path file = dir.resolve("guarded.db");
        try (JdbcTrialStore a = open(file, StoreOptions.DEFAULTS); JdbcTrialStore b = open(file, StoreOptions.DEFAULTS)) {
            long study = a.createStudy("guarded", List.of(StudyDirection.MINIMIZE));
            long t = a.createTrial(study, null);
            a.setTrialParam(t, "x", 0.5, FloatDistribution.of(0, 1));
            b.setTrialStateValues(t, TrialState.FAIL, null);
            assertThrows(UpdateFinishedTrialException.class,
                    () -> a.setTrialParam(t, "y", 0.5, FloatDistribution.of(0, 1)));
            assertThrows(UpdateFinishedTrialException.class,
                    () -> a.setTrialParam(t, "x", 3.0, IntDistribution.of(0, 5)));
            assertThrows(UpdateFinishedTrialException.class, () -> a.setTrialIntermediateValue(t, 0, 1.0));
            assertThrows(UpdateFinishedTrialException.class, () -> a.setTrialUserAttr(t, "k", "v"));
            assertThrows(UpdateFinishedTrialException.class, () -> a.setTrialSystemAttr(t, "k", "v"));
            assertThrows(UpdateFinishedTrialException.class,
                    () -> a.setTrialStateValues(t, TrialState.COMPLETE, List.of(1.0)));
            assertThrows(UpdateFinishedTrialException.class, () -> a.setTrialStateValues(t, TrialState.RUNNING, null));
            FrozenTrial seen = b.getTrial(t);
            assertEquals(TrialState.FAIL, seen.state());
            assertEquals(Map.of("x", 0.5), seen.params());
            assertTrue(seen.intermediateValues().isEmpty() && seen.userAttrs().isEmpty() && seen.systemAttrs().isEmpty()
                    && seen.values() == null, "nothing was written to the finished trial: " + seen);
            assertThrows(StorageException.class, () -> a.setTrialParam(987_654, "x", 0.5, FloatDistribution.of(0, 1)));
            assertThrows(StorageException.class, () -> a.createTrial(987_654, null));
        }
    }

    @Test
    void newDatabaseUsesWalAndNormalSynchronous() throws Exception {
        Path file = dir.resolve("wal.db");
        try (JdbcTrialStore s = open(file, StoreOptions.DEFAULTS)) {
            s.createStudy("w", List.of(StudyDirection.MINIMIZE));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void staleRunningTrialIsFailedByHeartbeatButFreshAndFinishedOnesAreNot() throws Exception {
        Path file = dir.resolve("hb.db");
        StoreOptions hb = new StoreOptions(Duration.ofMillis(200), Duration.ofMillis(600), true);
        try (JdbcTrialStore s = open(file, hb)) {
            assertEquals(Duration.ofMillis(200), s.heartbeatInterval().orElseThrow());
            assertEquals(1, s.heartbeatIntervalSeconds().orElseThrow());
            long study = s.createStudy("hb", List.of(StudyDirection.MINIMIZE));
            long dead = s.createTrial(study, null);
            long alive = s.createTrial(study, null);
            long done = s.createTrial(study, null);
            long silent = s.createTrial(study, null);
            s.recordHeartbeat(dead);
            s.recordHeartbeat(done);
            s.setTrialStateValues(done, TrialState.COMPLETE, List.of(1.0));
            assertEquals(List.of(), s.failStaleTrials(study), "nothing is stale yet");
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                s.recordHeartbeat(alive);
                Thread.sleep(100);
            }
            assertEquals(List.of(dead), s.failStaleTrials(study));
            assertEquals(TrialState.FAIL, s.getTrial(dead).state());
            assertEquals(TrialState.RUNNING, s.getTrial(alive).state());
            assertEquals(TrialState.COMPLETE, s.getTrial(done).state());
            assertEquals(TrialState.RUNNING, s.getTrial(silent).state(), "no heartbeat row: never failed");
            assertEquals(List.of(), s.failStaleTrials(study), "a second call fails nothing more");
        }
    }

    @Test
    void heartbeatsOffMeansNothingIsFailed() {
        try (JdbcTrialStore s = open(dir.resolve("nohb.db"), StoreOptions.DEFAULTS)) {
            long study = s.createStudy("x", List.of(StudyDirection.MINIMIZE));
            long t = s.createTrial(study, null);
            s.recordHeartbeat(t);
            assertTrue(s.heartbeatIntervalSeconds().isEmpty());
            assertEquals(List.of(), s.failStaleTrials(study));
        }
    }

    @Test
    void readOnlyOpenOfAMissingFileIsRefusedAndCreatesNothing() {
        Path missing = dir.resolve("nope").resolve("missing.db");
        StorageException e = assertThrows(StorageException.class,
                () -> TrialStores.open(StorageUrl.parse("sqlite:///" + missing), StoreOptions.DEFAULTS.createIfMissing(false)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(!Files.exists(missing));
    }

    @Test
    void emptyFileWithoutSchemaIsRefusedForReading() throws Exception {
        Path empty = dir.resolve("empty.db");
        Files.createFile(empty);
        StorageException e = assertThrows(StorageException.class,
                () -> open(empty, StoreOptions.DEFAULTS.createIfMissing(false)));
        assertTrue(e.getMessage().contains("no study database"), e.getMessage());
    }
}
