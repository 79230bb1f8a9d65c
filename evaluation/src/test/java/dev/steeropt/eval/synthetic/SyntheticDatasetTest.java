package dev.steeropt.eval.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Datasets;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.eval.scoring.Prediction;
import dev.steeropt.eval.scoring.PredictionScorer;
import dev.steeropt.eval.scoring.ScoreResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void studySplitsAreDisjointInIdsAndQuestions() {
        SyntheticDataset.Study s = SyntheticDataset.study(7L, 500, 300, 400, 42L);
        assertEquals(500, s.plan().train().size());
        assertEquals(300, s.plan().validation().size());
        assertEquals(400, s.plan().test().size());
        Set<String> questions = new HashSet<>();
        for (Problem p : s.pool()) {
            assertTrue(questions.add(SyntheticDataset.key(p.question())), "pool question repeats: " + p.id());
        }
        for (Problem p : s.test()) {
            assertTrue(questions.add(SyntheticDataset.key(p.question())), "test question also in pool: " + p.id());
            assertTrue(p.id().startsWith("synthetic-test-"));
        }
        assertTrue(s.plan().train().ids().stream().allMatch(id -> id.startsWith("synthetic-train-")));
    }

    @Test
    void sameSeedSameStudyOtherSeedOtherStudy() {
        SyntheticDataset.Study a = SyntheticDataset.study(1L, 50, 50, 50, 2L);
        SyntheticDataset.Study b = SyntheticDataset.study(1L, 50, 50, 50, 2L);
        assertEquals(a, b);
        assertNotEquals(a.plan().train().ids(), SyntheticDataset.study(1L, 50, 50, 50, 3L).plan().train().ids());
        assertNotEquals(a.pool().get(0).question(), SyntheticDataset.study(4L, 50, 50, 50, 2L).pool().get(0).question());
    }

    @Test
    void exportRoundTripsThroughTheDatasetLoaderAndScorer() throws IOException {
        List<Problem> test = SyntheticDataset.generate(3L, "test", 100);
        SyntheticDataset.writeJsonl(test, tmp.resolve("synthetic/test.jsonl"));
        List<Problem> loaded = Datasets.load(DatasetName.SYNTHETIC, "test", tmp);
        assertEquals(test.stream().map(Problem::id).collect(Collectors.toList()),
                loaded.stream().map(Problem::id).collect(Collectors.toList()));
        assertEquals(test.get(42).goldAnswer(), loaded.get(42).goldAnswer());
        assertEquals(test.get(42).question(), loaded.get(42).question());
        List<Prediction> gold = loaded.stream().map(p -> new Prediction(p.id(), p.goldSolution(), 1))
                .collect(Collectors.toList());
        ScoreResult r = PredictionScorer.score("synthetic", "test", test, Graders.gsm8k(), gold);
        assertEquals(1.0, r.strictAccuracy());
        assertEquals(1.0, r.flexibleAccuracy());
    }

    @Test
    void manyUniqueEasyProblemsExist() {
        // difficulty 1 has the fewest combinations; 2,000 distinct ones must still be available
        List<Problem> easy = SyntheticDataset.generate(11L, "train", 2000, 1, Set.of());
        assertEquals(2000, easy.stream().map(p -> SyntheticDataset.key(p.question())).distinct().count());
    }
}
