package dev.steeropt.eval.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.splits.SplitPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PromptVariantsTest {
    private static final Problem TARGET = Problem.of("t-0", "How many legs do 3 cats have?", "3*4=12\n#### 12", "12");

    private static List<Problem> pool(int n) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Problem.of("p-" + i, "What is " + i + " plus 1?", i + "+1=<<" + i + "+1=" + (i + 1) + ">>"
                    + (i + 1) + "\n#### " + (i + 1), String.valueOf(i + 1)));
        }
        return out;
    }

    @Test
    void kShotRendersTheHarnessFormat() {
        KShotBase v = PromptVariants.kShotBase(pool(2));
        assertEquals("Question: What is 0 plus 1?\nAnswer: 0+1=<<0+1=1>>1\n#### 1\n\n"
                + "Question: What is 1 plus 1?\nAnswer: 1+1=<<1+1=2>>2\n#### 2\n\n"
                + "Question: How many legs do 3 cats have?\nAnswer:", v.render(TARGET));
        assertEquals(List.of("Question:", "</s>", "<|im_end|>"), v.stopSequences());
        assertThrows(IllegalArgumentException.class, () -> v.render(pool(2).get(1)), "an exemplar is never a target");
    }

    @Test
    void zeroShotCotRendersTheHarnessFormat() {
        PromptVariant v = PromptVariants.zeroShotCot();
        assertEquals("Q: How many legs do 3 cats have?\nA: Let's think step by step.", v.render(TARGET));
        assertEquals(List.of("Q:", "</s>", "<|im_end|>"), v.stopSequences());
    }

    @Test
    void questionAnswerRendersTheDemoModelsFormat() {
        PromptVariant v = PromptVariants.questionAnswer();
        assertEquals("Question: How many legs do 3 cats have?\nAnswer: ", v.render(TARGET));
        assertEquals(2, v.version());
        assertEquals(List.of("\nQuestion:", "</s>"), v.stopSequences());
        assertEquals("question-answer", v.name());
    }

    @Test
    void zeroShotChatGoesThroughTheCallersTemplate() {
        Function<List<Map<String, String>>, String> template = messages -> messages.stream()
                .map(m -> "<|" + m.get("role") + "|>" + m.get("content") + "<|end|>")
                .collect(Collectors.joining()) + "<|assistant|>";
        PromptVariant v = PromptVariants.zeroShotChat("tpl-a", template);
        String prompt = v.render(TARGET);
        assertTrue(prompt.startsWith("<|user|>" + ZeroShotChat.DEFAULT_INSTRUCTION + "\n\nHow many legs"), prompt);
        assertTrue(prompt.endsWith("<|end|><|assistant|>"));
        assertTrue(ZeroShotChat.DEFAULT_INSTRUCTION.contains("#### N"));
        assertNotEquals(v.hash(), PromptVariants.zeroShotChat("tpl-b", template).hash(), "template id is hashed");
        assertThrows(IllegalArgumentException.class, () -> PromptVariants.zeroShotChat(" ", template));
    }

    @Test
    void hashesAreStableAndDistinguishEveryVariant() {
        Set<String> hashes = new HashSet<>();
        hashes.add(PromptVariants.zeroShotCot().hash());
        hashes.add(PromptVariants.kShotBase(pool(2)).hash());
        hashes.add(PromptVariants.kShotBase(pool(3)).hash());
        hashes.add(PromptVariants.kShotBase(pool(3).subList(1, 3)).hash());
        hashes.add(PromptVariants.zeroShotChat("x", m -> "p").hash());
        hashes.add(PromptVariants.zeroShotChat("other instruction", "x", m -> "p").hash());
        hashes.add(PromptVariants.questionAnswer().hash());
        assertEquals(7, hashes.size());
        assertEquals(PromptVariants.kShotBase(pool(2)).hash(), PromptVariants.kShotBase(pool(2)).hash());
        assertTrue(PromptVariants.zeroShotCot().hash().matches("[0-9a-f]{64}"));
        // changing an exemplar's solution text changes the hash even with the same ids
        List<Problem> edited = new ArrayList<>(pool(2));
        edited.set(1, Problem.of("p-1", "What is 1 plus 1?", "two\n#### 2", "2"));
        assertNotEquals(PromptVariants.kShotBase(pool(2)).hash(), PromptVariants.kShotBase(edited).hash());
    }

    @Test
    void exemplarsFromTrainAreDeterministicAndNeverValidationOrTest() {
        List<Problem> pool = pool(100);
        List<Problem> test = List.of(TARGET);
        SplitPlan plan = SplitPlan.draw(pool, test, 20, 30, OptionalInt.empty(), 5L);
        KShotBase a = PromptVariants.kShotFromTrain(plan, pool, 5, 9L);
        KShotBase b = PromptVariants.kShotFromTrain(plan, pool, 5, 9L);
        assertEquals(a.hash(), b.hash());
        assertEquals(5, a.exemplars().size());
        for (Problem e : a.exemplars()) {
            assertTrue(plan.train().contains(e.id()));
            assertTrue(!plan.validation().contains(e.id()) && !plan.test().contains(e.id()));
        }
        assertNotEquals(a.hash(), PromptVariants.kShotFromTrain(plan, pool, 5, 10L).hash());
        assertThrows(IllegalArgumentException.class, () -> PromptVariants.kShotFromTrain(plan, pool, 21, 9L));
    }
}
