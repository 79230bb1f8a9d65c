package dev.steeropt.studies.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisDataTest {
    @TempDir
    Path tmp;

    @Test
    void syntheticSplitsAreDisjointAndTheEvaluatedSplitIsStableAcrossSplitChoices() {
        AnalysisData val = AnalysisData.load(DatasetName.SYNTHETIC, EvalSplit.VALIDATION, 16, 20, 3, tmp, tmp);
        AnalysisData test = AnalysisData.load(DatasetName.SYNTHETIC, EvalSplit.TEST, 16, 20, 3, tmp, tmp);
        assertEquals(20, val.evaluated().size());
        assertEquals(16, val.train().size());
        assertEquals(val.train(), test.train(), "the fit items do not depend on the evaluated split");
        assertEquals(val.plan(), test.plan());
        assertDisjoint(val.train(), val.evaluated());
        assertDisjoint(test.train(), test.evaluated());
        assertDisjoint(val.evaluated(), test.evaluated());
        assertEquals(val.plan().validation().idsHash(), val.evaluatedSplit().idsHash());
    }

    @Test
    void math500IsCutBySeedIntoThreeDisjointParts() throws IOException {
        Path dir = tmp.resolve("math500");
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("{\"problem\": \"What is ").append(i).append("+1?\", \"solution\": \"\\\\boxed{").append(i + 1)
                    .append("}\", \"answer\": \"").append(i + 1).append("\", \"subject\": \"Algebra\", \"level\": 1,"
                            + " \"unique_id\": \"test/algebra/").append(i).append(".json\"}\n");
        }
        Files.writeString(dir.resolve("test.jsonl"), sb.toString());
        AnalysisData v = AnalysisData.load(DatasetName.MATH500, EvalSplit.VALIDATION, 200, 100, 7, tmp, tmp);
        AnalysisData t = AnalysisData.load(DatasetName.MATH500, EvalSplit.TEST, 50, 200, 7, tmp, tmp);
        AnalysisData other = AnalysisData.load(DatasetName.MATH500, EvalSplit.VALIDATION, 200, 100, 8, tmp, tmp);
        assertDisjoint(v.train(), v.evaluated());
        assertDisjoint(v.evaluated(), t.evaluated());
        assertDisjoint(v.train(), t.evaluated());
        assertTrue(v.train().containsAll(t.train()), "a smaller --n-train takes a subset of the same train part");
        assertNotEquals(v.plan().train().idsHash(), other.plan().train().idsHash(), "another seed, another cut");
        assertTrue(v.source().contains("train 200 / validation 100 / test 200"), v.source());
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> AnalysisData.load(DatasetName.MATH500, EvalSplit.VALIDATION, 64, 101, 7, tmp, tmp));
        assertEquals(UserFacingException.USAGE, e.exitCode());
    }

    private static void assertDisjoint(List<Problem> a, List<Problem> b) {
        Set<String> ids = new HashSet<>();
        a.forEach(p -> ids.add(p.id()));
        for (Problem p : b) {
            assertTrue(!ids.contains(p.id()), "id in both: " + p.id());
        }
        Set<String> questions = new HashSet<>();
        a.forEach(p -> questions.add(p.question()));
        for (Problem p : b) {
            assertTrue(!questions.contains(p.question()), "question in both: " + p.question());
        }
    }
}
