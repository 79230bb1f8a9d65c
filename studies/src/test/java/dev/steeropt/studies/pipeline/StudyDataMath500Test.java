package dev.steeropt.studies.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.Graders;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.PairBuilder;
import dev.steeropt.studies.spec.PromptKind;
import dev.steeropt.studies.spec.PrunerKind;
import dev.steeropt.studies.spec.SamplerKind;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import dev.steeropt.studies.spec.StudySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optimize --dataset math500}: the 500 problems cut by the split seed into a pool and disjoint test items. */
class StudyDataMath500Test {
    @TempDir
    Path tmp;

    @Test
    void math500IsCutIntoAPoolAndDisjointTestItemsAndGradedByBoxedAnswers() throws IOException {
        Path dir = tmp.resolve("math500");
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("{\"problem\": \"What is ").append(i).append("+1?\", \"solution\": \"\\\\boxed{").append(i + 1)
                    .append("}\", \"answer\": \"").append(i + 1).append("\", \"subject\": \"Algebra\", \"level\": 1,"
                            + " \"unique_id\": \"test/algebra/").append(i).append(".json\"}\n");
        }
        Files.writeString(dir.resolve("test.jsonl"), sb.toString());
        StudyData a = StudyData.load(spec(5), tmp);
        StudyData b = StudyData.load(spec(6), tmp);
        assertEquals(StudyData.MATH500_POOL, a.pool().size());
        assertEquals(500 - StudyData.MATH500_POOL, a.test().size());
        Set<String> pool = new HashSet<>();
        a.pool().forEach(p -> pool.add(p.id()));
        for (Problem p : a.testItems()) {
            assertTrue(!pool.contains(p.id()), "test item in the pool: " + p.id());
        }
        assertEquals(32, a.train().size());
        assertEquals(40, a.testItems().size());
        assertNotEquals(a.plan().test().idsHash(), b.plan().test().idsHash(), "another split seed, another cut");
        Problem p = a.testItems().get(0);
        assertTrue(Graders.forDataset(DatasetName.MATH500).grade(p, "so the answer is \\boxed{" + p.goldAnswer() + "}")
                .flexible());
    }

    private static StudySpec spec(long splitSeed) {
        return new StudySpec("/models/m", "abc", DatasetName.MATH500, new StudySpec.Splits(32, 24, 40, splitSeed),
                PromptKind.ZERO_SHOT_COT, 0, PairBuilder.GOLD_VS_CORRUPTED_ANSWER, SearchSpaceSpec.defaults(4),
                new StudySpec.Search(SamplerKind.parse("tpe"), 4, PrunerKind.parse("median"), 1, 0, 25),
                Metric.FLEXIBLE, 4, 48, 7, new StudySpec.Budget(12, 0, 1));
    }
}
