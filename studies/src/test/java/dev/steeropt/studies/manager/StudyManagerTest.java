package dev.steeropt.studies.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.Specs;
import dev.steeropt.studies.spec.StudySpec;
import dev.steeropt.studies.store.StorageUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Study lifecycle on a real SQLite file: spec stored and checked on resume, the test evaluation recorded once. */
class StudyManagerTest {
    @TempDir
    Path tmp;

    private static StudySpec spec(String alpha, int nTrials) {
        return new StudySpec("/models/m", "abc", DatasetName.SYNTHETIC, new StudySpec.Splits(8, 4, 4, 1), PromptKind.ZERO_SHOT_COT, 0,
                PairBuilder.ANSWER_OFF_BY_ONE, Specs.overlay(SearchSpaceSpec.defaults(4), "{\"alpha\":" + alpha + "}"),
                new StudySpec.Search(SamplerKind.TPE, 2, PrunerKind.MEDIAN, 1, 0, 25), Metric.FLEXIBLE, 2, 8, 1,
                new StudySpec.Budget(nTrials, 0, 1));
    }

    private StorageUrl url() {
        return StorageUrl.parse("sqlite:///" + tmp.resolve("study.db"));
    }

    @Test
    void theSpecIsStoredAndAResumeWithAnotherSpecShowsTheDiff() {
        try (StudyManager m = StudyManager.open(url())) {
            Study s = m.openStudy("s", spec("[-4,4]", 5));
            assertEquals(spec("[-4,4]", 5), Specs.fromAttr(s.systemAttrs().get(Specs.ATTR)));
        }
        try (StudyManager m = StudyManager.open(url())) {
            Study again = m.openStudy("s", spec("[-4,4]", 50)); // a larger budget resumes
            assertEquals(spec("[-4,4]", 5), Specs.fromAttr(again.systemAttrs().get(Specs.ATTR)),
                    "the stored spec is the first one");
            UserFacingException e = assertThrows(UserFacingException.class, () -> m.openStudy("s", spec("[-2,2]", 5)));
            assertEquals(UserFacingException.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("Cannot resume study 's' with a different spec")
                    && e.getMessage().contains("search_space.alpha: [-4.0,4.0] -> [-2.0,2.0]")
                    && e.getMessage().contains("--study-name"), e.getMessage());
        }
    }

    @Test
    void aStudyTestsOnceAndARetestIsRecorded() {
        try (StudyManager m = StudyManager.open(url())) {
            Study s = m.openStudy("t", spec("[-4,4]", 5));
            m.requireTestAllowed(s, false);
            assertNull(m.testEvaluation(s));
            m.recordTest(s, Map.of("n_items", 4, "best_trial", 0));
            UserFacingException e = assertThrows(UserFacingException.class, () -> m.requireTestAllowed(s, false));
            assertTrue(e.getMessage().contains("already evaluated its test split once")
                    && e.getMessage().contains("--allow-retest"), e.getMessage());
            m.requireTestAllowed(s, true);
            m.recordTest(s, Map.of("n_items", 4, "best_trial", 3));
            Object retests = s.systemAttrs().get(StudyManager.RETEST_ATTR);
            assertTrue(retests instanceof List<?> l && l.size() == 1, String.valueOf(retests));
            assertTrue(String.valueOf(retests).contains("best_trial=0"), String.valueOf(retests));
            assertEquals(3, ((Number) ((Map<?, ?>) m.testEvaluation(s)).get("best_trial")).intValue());
        }
    }

    @Test
    void onlyTheFirstMainProcessToFinishTestsASharedStudy() {
        try (StudyManager a = StudyManager.open(url()); StudyManager b = StudyManager.open(url())) {
            Study sa = a.openStudy("shared", spec("[-4,4]", 5));
            Study sb = b.openStudy("shared", spec("[-4,4]", 5));
            assertTrue(a.claimTest(sa, "host-a:1", false).won());
            assertTrue(a.claimTest(sa, "host-a:1", false).won(), "a claim is idempotent for its owner");
            StudyManager.TestClaim lost = b.claimTest(sb, "host-b:2", false);
            assertFalse(lost.won(), "claimed by another process");
            assertTrue(lost.loserNote("shared").contains("host-a:1"), lost.loserNote("shared"));
            assertEquals("host-a:1", sb.systemAttrs().get(StudyManager.CLAIM_ATTR));
            a.recordTest(sa, Map.of("n_items", 4, "best_trial", 0));
            assertFalse(a.claimTest(sa, "host-a:1", false).won(), "already evaluated");
            assertTrue(b.claimTest(sb, "host-b:2", true).won(), "--allow-retest takes the claim");
            assertEquals("host-b:2", sa.systemAttrs().get(StudyManager.CLAIM_ATTR));
        }
    }

    @Test
    void processesSharingAStudyDrawFromDifferentSeeds() {
        assertEquals(7, StudyManager.samplerSeed(7, 0, false, "h:1"), "a new study's main process: the spec's seed");
        assertEquals(9, StudyManager.samplerSeed(7, 2, true, "h:1"), "worker 2");
        long joinA = StudyManager.samplerSeed(7, 0, true, "host-a:11");
        long joinB = StudyManager.samplerSeed(7, 0, true, "host-b:12");
        assertTrue(joinA != 7 && joinB != 7 && joinA != joinB, joinA + " " + joinB);
    }

    @Test
    void aStudyNotMadeByOptimizeIsNotTakenOver() {
        try (StudyManager m = StudyManager.open(url())) {
            Study.builder().store(m.store()).name("foreign").create();
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> m.openStudy("foreign", spec("[-4,4]", 5)));
            assertTrue(e.getMessage().contains("was not created by 'steeropt optimize'"), e.getMessage());
        }
    }
}
