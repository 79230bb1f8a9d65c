package dev.steeropt.eval.splits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.EvaluationInputException;
import dev.steeropt.eval.SharedData;
import dev.steeropt.eval.datasets.Gsm8k;
import dev.steeropt.eval.datasets.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
    private static List<Problem> pool;
    private static List<Problem> test;

    @BeforeAll
    static void load() {
        pool = Gsm8k.load(SharedData.dataDir(), Gsm8k.Split.TRAIN);
        test = Gsm8k.load(SharedData.dataDir(), Gsm8k.Split.TEST);
    }

    @Test
    void splitsAreDisjointAndSized() {
        SplitPlan plan = SplitPlan.draw(pool, test, 200, 300, OptionalInt.empty(), 42L);
        assertEquals(200, plan.train().size());
        assertEquals(300, plan.validation().size());
        assertEquals(1319, plan.test().size());
        Set<String> all = new HashSet<>();
        all.addAll(plan.train().ids());
        all.addAll(plan.validation().ids());
        all.addAll(plan.test().ids());
        assertEquals(200 + 300 + 1319, all.size());
        assertTrue(plan.train().ids().stream().allMatch(id -> id.startsWith("gsm8k-train-")));
        assertTrue(plan.validation().ids().stream().allMatch(id -> id.startsWith("gsm8k-train-")));
        assertTrue(plan.test().ids().stream().allMatch(id -> id.startsWith("gsm8k-test-")));
        assertEquals(Split.hash(plan.train().ids()), plan.train().idsHash());
        assertEquals(200, plan.train().select(pool).size());
    }

    @Test
    void sameSeedSameIdsOtherSeedOtherIds() {
        SplitPlan a = SplitPlan.draw(pool, test, 50, 50, OptionalInt.of(100), 7L);
        SplitPlan b = SplitPlan.draw(pool, test, 50, 50, OptionalInt.of(100), 7L);
        SplitPlan c = SplitPlan.draw(pool, test, 50, 50, OptionalInt.of(100), 8L);
        assertEquals(a, b);
        assertNotEquals(a.train().ids(), c.train().ids());
        assertNotEquals(a.validation().idsHash(), c.validation().idsHash());
        assertNotEquals(a.test().ids(), c.test().ids());
        // not the seed pipeline's leak: the draw is not the first items of the file
        assertNotEquals(List.of("gsm8k-train-0", "gsm8k-train-1"), a.train().ids().subList(0, 2));
    }

    @Test
    void growingValidationKeepsTrainFixed() {
        // train is the lowest ranks, so enlarging validation never moves an item into or out of train
        SplitPlan small = SplitPlan.draw(pool, test, 100, 10, OptionalInt.of(10), 3L);
        SplitPlan large = SplitPlan.draw(pool, test, 100, 500, OptionalInt.of(10), 3L);
        assertEquals(small.train(), large.train());
        assertTrue(large.validation().ids().containsAll(small.validation().ids()));
    }

    @Test
    void drawIsRoughlyUniformOverThePool() {
        // the mean 0-based line number of 2,000 drawn items should be near (7473-1)/2 = 3736
        SplitPlan plan = SplitPlan.draw(pool, test, 2000, 0, OptionalInt.of(0), 11L);
        double mean = plan.train().ids().stream().mapToInt(id -> Integer.parseInt(id.substring(12)))
                .average().orElseThrow();
        // sd of the mean of 2000 draws without replacement ~ 2157/sqrt(2000) * 0.854 = 41; allow 6 sd
        assertEquals(3736, mean, 250);
    }

    @Test
    void overlappingSplitsCannotBeConstructed() {
        Split train = Split.of("train", List.of("a", "b"));
        Split validation = Split.of("validation", List.of("c", "b"));
        Split testSplit = Split.of("test", List.of("d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SplitPlan(1L, train, validation, testSplit));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Split("x", List.of("a"), "0000"));
        assertThrows(IllegalArgumentException.class, () -> Split.of("x", List.of("a", "a")));
    }

    @Test
    void sameQuestionUnderAnotherIdIsALeak() {
        List<Problem> p = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            p.add(Problem.of("p-" + i, "Question number " + i + "?", "#### 1", "1"));
        }
        List<Problem> t = List.of(Problem.of("t-0", "question   number 3?", "#### 1", "1"));
        // some seed puts p-3 into train or validation when all 20 are drawn
        assertThrows(EvaluationInputException.class, () -> SplitPlan.draw(p, t, 10, 10, OptionalInt.empty(), 1L));
    }

    @Test
    void exemplarsMustComeFromTrain() {
        SplitPlan plan = SplitPlan.draw(pool, test, 20, 20, OptionalInt.of(5), 1L);
        plan.requireInTrain(plan.train().ids().subList(0, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan.requireInTrain(List.of(plan.validation().ids().get(0))));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }

    @Test
    void tooLargeSizesFailClearly() {
        EvaluationInputException e = assertThrows(EvaluationInputException.class,
                () -> SplitPlan.draw(pool, test, 7000, 1000, OptionalInt.empty(), 1L));
        assertTrue(e.getMessage().contains("7473"), e.getMessage());
        assertThrows(EvaluationInputException.class, () -> SplitPlan.draw(pool, test, 1, 1, OptionalInt.of(2000), 1L));
    }
}
