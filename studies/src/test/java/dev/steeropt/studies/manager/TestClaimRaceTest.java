package dev.steeropt.studies.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.EmbeddedPostgres;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight real processes race for one study's test evaluation on a real database: exactly one wins, and every loser's
 * note names the winner, which is the claim stored in the study.
 */
class TestClaimRaceTest {
    private static final int PROCESSES = 8;

    @TempDir
    Path tmp;

    @Test
    void exactlyOneOfEightProcessesWinsSqlite() throws Exception {
        race("sqlite:///" + tmp.resolve("study.db"));
    }

    @Test
    @Tag("postgres")
    void exactlyOneOfEightProcessesWinsPostgres() throws Exception {
        race(EmbeddedPostgres.newDatabaseUrl());
    }

    private void race(String url) throws Exception {
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            Study.builder().store(store).name("race").create();
        }
        Path go = tmp.resolve("go");
        List<Process> procs = new ArrayList<>();
        for (int k = 0; k < PROCESSES; k++) {
            List<String> cmd = new ArrayList<>(StudyManager.javaCommand(List.of(url, "race", go.toString(),
                    "claimant-" + k)));
            cmd.set(cmd.indexOf("dev.steeropt.studies.cli.Main"), ClaimWorker.class.getName());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.redirectOutput(tmp.resolve("claim-" + k + ".log").toFile());
            procs.add(pb.start());
        }
        Thread.sleep(3000); // every JVM is up and polling for the start file
        Files.writeString(go, "go");
        List<String> winners = new ArrayList<>();
        List<String> losers = new ArrayList<>();
        for (int k = 0; k < PROCESSES; k++) {
            assertTrue(procs.get(k).waitFor(120, TimeUnit.SECONDS));
            String out = Files.readString(tmp.resolve("claim-" + k + ".log"));
            assertEquals(0, procs.get(k).exitValue(), out);
            if (out.contains("\nWON") || out.startsWith("WON")) {
                winners.add("claimant-" + k);
            } else {
                assertTrue(out.contains("LOST "), out);
                losers.add(out);
            }
        }
        assertEquals(1, winners.size(), "exactly one winner: " + winners + " " + losers);
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            assertEquals(winners.get(0), store.getStudySystemAttrs(store.getStudyId("race")).get(StudyManager.CLAIM_ATTR));
        }
        for (String note : losers) {
            assertTrue(note.contains(winners.get(0) + " (this process is not it)"), note);
        }
    }
}
