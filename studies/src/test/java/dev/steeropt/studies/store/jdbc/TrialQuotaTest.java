package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.storage.OptunaJson;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialProcess;
import dev.steeropt.studies.store.TrialQuota;
import dev.steeropt.studies.store.TrialStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrialQuota} in the store, on SQLite and PostgreSQL: which trials hold a slot (COMPLETE, PRUNED, RUNNING; a
 * FAIL frees its slot), that creating and taking a WAITING trial both reserve one, that the run and study limits are
 * separate, and how dead trials are failed.
 */
class TrialQuotaTest {
    @TempDir
    Path tmp;

    @Test
    void slotsAreReservedExactlySqlite() {
        slotsAreReservedExactly("sqlite:///" + tmp.resolve("q.db"));
    }

    @Test
    @Tag("postgres")
    void slotsAreReservedExactlyPostgres() {
        slotsAreReservedExactly(EmbeddedPostgres.newDatabaseUrl());
    }

    private void slotsAreReservedExactly(String url) {
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            long study = store.createStudy("q", List.of(StudyDirection.MAXIMIZE));
            store.setQuota(study, new TrialQuota("run-a", "main@h:1", 3, 5));
            long a = store.createTrial(study, null);
            FrozenTrial first = store.getTrial(a);
            assertEquals("run-a", first.systemAttrs().get(TrialQuota.RUN_ATTR), "tagged in the creating transaction");
            assertEquals("main@h:1", first.systemAttrs().get(TrialProcess.ATTR));
            store.setTrialStateValues(a, TrialState.COMPLETE, List.of(1.0));
            long b = store.createTrial(study, null);
            store.setTrialStateValues(b, TrialState.PRUNED, null);
            long c = store.createTrial(study, null);
            assertThrows(TrialQuota.Exhausted.class, () -> store.createTrial(study, null), "3 of run-a's 3 held");
            store.setTrialStateValues(c, TrialState.FAIL, null); // a failed objective frees its slot
            long retried = store.createTrial(study, null);
            assertEquals(TrialState.RUNNING, store.getTrial(retried).state(), "the freed slot is taken again");
            assertThrows(TrialQuota.Exhausted.class, () -> store.createTrial(study, null),
                    "3 of run-a's 3 held: COMPLETE, PRUNED and RUNNING, not the FAIL");

            // a WAITING trial (enqueued) holds no slot and may be created; taking it needs a slot
            long waiting = store.createTrial(study, new FrozenTrial(0, 0, TrialState.WAITING, null, null, null,
                    Map.of(), Map.of(), Map.of(), Map.of(TrialQuota.RUN_ATTR, "old-run"), null));
            assertThrows(TrialQuota.Exhausted.class,
                    () -> store.setTrialStateValues(waiting, TrialState.RUNNING, null));
            assertEquals(TrialState.WAITING, store.getTrial(waiting).state(), "a refused take changes nothing");

            // another run has its own counter, but the study cap (5) counts every run
            store.setQuota(study, new TrialQuota("run-b", "worker-1@h:2", 3, 5));
            assertTrue(store.setTrialStateValues(waiting, TrialState.RUNNING, null));
            FrozenTrial taken = store.getTrial(waiting);
            assertEquals("run-b", taken.systemAttrs().get(TrialQuota.RUN_ATTR), "a taken trial joins the taking run");
            assertEquals("worker-1@h:2", taken.systemAttrs().get(TrialProcess.ATTR));
            long e = store.createTrial(study, null);
            assertThrows(TrialQuota.Exhausted.class, () -> store.createTrial(study, null), "5 of the study's 5 held");

            // a trial lost with its process frees its slot like any FAIL
            store.setTrialSystemAttr(e, TrialQuota.LOST_ATTR, "lost: test");
            store.setTrialStateValues(e, TrialState.FAIL, null);
            long f = store.createTrial(study, null);
            assertEquals(TrialState.RUNNING, store.getTrial(f).state());
            assertThrows(TrialQuota.Exhausted.class, () -> store.createTrial(study, null));

            store.setQuota(study, null);
            store.createTrial(study, null); // no quota: no limit
            assertEquals(8, store.getAllTrials(study, null).size(), "the refused creations wrote nothing");
        }
    }

    @Test
    void aTrialOfAnExitedProcessIsFailedAtOnceAndMarkedLost() throws Exception {
        String url = "sqlite:///" + tmp.resolve("dead.db");
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String me = TrialProcess.labelled("main");
        String dead = "worker-1@" + me.substring(me.indexOf('@') + 1, me.lastIndexOf(':')) + ":" + p.pid();
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) { // heartbeats off
            long study = store.createStudy("d", List.of(StudyDirection.MAXIMIZE));
            store.setQuota(study, new TrialQuota("r", dead, 10, null));
            long lost = store.createTrial(study, null);
            store.setQuota(study, new TrialQuota("r", me, 10, null));
            long alive = store.createTrial(study, null);
            long foreign = store.createTrial(study, null);
            store.setTrialSystemAttr(foreign, TrialProcess.ATTR, "main@another-host:" + p.pid());

            assertEquals(List.of(lost), store.failStaleTrials(study), "only the exited process's trial");
            FrozenTrial t = store.getTrial(lost);
            assertEquals(TrialState.FAIL, t.state());
            assertTrue(String.valueOf(t.systemAttrs().get("fail_reason")).startsWith("lost: its process " + dead),
                    t.systemAttrs().toString());
            assertTrue(t.systemAttrs().containsKey(TrialQuota.LOST_ATTR));
            assertEquals(TrialState.RUNNING, store.getTrial(alive).state());
            assertEquals(TrialState.RUNNING, store.getTrial(foreign).state(), "another host is left to heartbeats");
            assertEquals(List.of(), store.failStaleTrials(study), "failed once");
        }
        // the marks are in the database, as Optuna and other processes read them
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("dead.db"));
                PreparedStatement ps = c.prepareStatement("SELECT value_json FROM trial_system_attributes"
                        + " WHERE \"key\" = 'fail_reason'")) {
            var rs = ps.executeQuery();
            assertTrue(rs.next());
            assertFalse(String.valueOf(OptunaJson.loads(rs.getString(1))).isBlank());
        }
    }

    @Test
    void theClaimIsSetOnceAndReturnsTheWinner() {
        try (JdbcTrialStore store = TrialStores.open("sqlite:///" + tmp.resolve("c.db"), StoreOptions.DEFAULTS)) {
            long study = store.createStudy("c", List.of(StudyDirection.MAXIMIZE));
            assertEquals("a", store.claimStudySystemAttr(study, "k", "a"));
            assertEquals("a", store.claimStudySystemAttr(study, "k", "b"), "the first claim stays");
            assertEquals("a", store.getStudySystemAttrs(study).get("k"));
        }
    }
}
