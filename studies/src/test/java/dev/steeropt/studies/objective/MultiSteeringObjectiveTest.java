package dev.steeropt.studies.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.studies.spec.Metric;
import dev.steeropt.studies.spec.ObjectiveKind;
import dev.steeropt.studies.spec.SearchSpaceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-objective objective grades every chunk, reports nothing, and returns values in objective order. */
class MultiSteeringObjectiveTest {
    /** Two chunks: (right, 10 tokens), (wrong, 30 tokens) and (right only flexibly, 20 tokens). */
    private static final ChunkEvaluator CHUNKS = new ChunkEvaluator() {
        @Override
        public int chunkCount() {
            return 2;
        }

        @Override
        public List<ItemOutcome> evaluate(int index, TrialConfig config) {
            return index == 0
                    ? List.of(new ItemOutcome("a", true, true, "1", 10, ""), new ItemOutcome("b", false, false, null,
                            30, ""))
                    : List.of(new ItemOutcome("c", false, true, "2", 20, ""));
        }
    };

    /** Catches: values in a fixed order instead of the spec's, a chunk skipped, the metric ignored, or a report. */
    @Test
    void valuesFollowTheObjectiveOrderAndNothingIsReported() {
        Study study = Study.builder().directions(List.of(StudyDirection.MINIMIZE, StudyDirection.MAXIMIZE)).create();
        Trial t = study.ask();
        MultiSteeringObjective o = new MultiSteeringObjective(new ParamMapping(SearchSpaceSpec.defaults(4)), CHUNKS,
                Metric.FLEXIBLE, List.of(ObjectiveKind.TOKENS, ObjectiveKind.ACCURACY));
        double[] v = o.evaluate(t);
        assertArrayEquals(new double[] {20.0, 2.0 / 3}, v, 1e-12);
        FrozenTrial done = study.tell(t, v);
        assertTrue(done.intermediateValues().isEmpty());
        assertEquals(3, ((Number) done.userAttrs().get("items_graded")).intValue());
        Trial s = study.ask();
        double[] strict = new MultiSteeringObjective(new ParamMapping(SearchSpaceSpec.defaults(4)), CHUNKS,
                Metric.STRICT, List.of(ObjectiveKind.ACCURACY, ObjectiveKind.TOKENS)).evaluate(s);
        assertArrayEquals(new double[] {1.0 / 3, 20.0}, strict, 1e-12);
    }
}
