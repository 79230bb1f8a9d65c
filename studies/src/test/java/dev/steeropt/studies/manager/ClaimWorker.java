package dev.steeropt.studies.manager;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.studies.store.StorageUrl;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process of {@link TestClaimRaceTest}: opens the study, waits for the start file, claims the test evaluation once
 * and prints {@code WON} or {@code LOST <note>}.
 */
public final class ClaimWorker {
    private ClaimWorker() {}

    /** Arguments: storage URL, study name, start file, claimant name. */
    public static void main(String[] args) throws Exception {
        try (StudyManager m = StudyManager.open(StorageUrl.parse(args[0]))) {
            Study study = Study.load(m.store(), args[1], null, null);
            Path go = Path.of(args[2]);
            while (!Files.exists(go)) {
                Thread.sleep(1);
            }
            StudyManager.TestClaim claim = m.claimTest(study, args[3], false);
            System.out.println(claim.won() ? "WON" : "LOST " + claim.loserNote(args[1]));
        }
    }
}
