package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.storage.StorageException;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.storage.TrialStoreContract;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The storage contract on a real PostgreSQL server, plus heartbeats, cross-connection visibility and errors. */
@Tag("postgres")
class PostgresTrialStoreTest implements TrialStoreContract {

    @Override
    public TrialStore newStore() {
        return TrialStores.open(EmbeddedPostgres.newDatabaseUrl(), StoreOptions.DEFAULTS);
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersWrites() {
        String url = EmbeddedPostgres.newDatabaseUrl();
        try (JdbcTrialStore a = TrialStores.open(url, StoreOptions.DEFAULTS);
                JdbcTrialStore b = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long study = a.createStudy("shared", List.of(StudyDirection.MAXIMIZE));
            long t = a.createTrial(study, null);
            assertEquals(TrialState.RUNNING, b.getTrial(t).state());
            a.setTrialParam(t, "x", 0.5, FloatDistribution.of(0, 1));
            a.setTrialIntermediateValue(t, 3, Double.NaN);
            assertEquals(Map.of("x", 0.5), b.getTrial(t).params());
            assertTrue(Double.isNaN(b.getTrial(t).intermediateValues().get(3)));
            a.setTrialStateValues(t, TrialState.COMPLETE, List.of(Double.POSITIVE_INFINITY));
            assertEquals(Double.POSITIVE_INFINITY, b.getBestTrial(study).value());
            assertEquals(1, b.getTrial(b.createTrial(study, null)).number());
        }
    }

    @Test
    void staleTrialIsFailedByTheDatabaseClock() throws Exception {
        StoreOptions hb = new StoreOptions(Duration.ofMillis(200), Duration.ofMillis(600), true);
        try (JdbcTrialStore s = TrialStores.open(EmbeddedPostgres.newDatabaseUrl(), hb)) {
            long study = s.createStudy("hb", List.of(StudyDirection.MINIMIZE));
            long dead = s.createTrial(study, null);
            long alive = s.createTrial(study, null);
            s.recordHeartbeat(dead);
            for (int i = 0; i < 12; i++) {
                s.recordHeartbeat(alive);
                Thread.sleep(100);
            }
            assertEquals(List.of(dead), s.failStaleTrials(study));
            assertEquals(TrialState.FAIL, s.getTrial(dead).state());
            assertEquals(TrialState.RUNNING, s.getTrial(alive).state());
        }
    }

    @Test
    void unreachableServerGivesOneClearError() {
        StorageException e = assertThrows(StorageException.class,
                () -> TrialStores.open("postgresql://nobody:secret@127.0.0.1:1/none", StoreOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("Cannot connect"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "the password must be masked: " + e.getMessage());
    }
}
