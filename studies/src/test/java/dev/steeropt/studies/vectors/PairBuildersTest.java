package dev.steeropt.studies.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The two contrast-pair builders as pure string functions. */
class PairBuildersTest {
    private static final String NATALIA = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n"
            + "Natalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72";

    @Test
    void corruptsTheFinalAnswerAndTheLastCalculationConsistently() {
        assertEquals("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n"
                + "Natalia sold 48+24 = <<48+24=75>>75 clips altogether in April and May.\n#### 75",
                PairBuilders.corruptFinalAnswer(NATALIA, 3));
        assertEquals("He pays 5 * 2 = <<5*2=10>>10 dollars.\nSo 20 - 10 = <<20-10=9>>9 left, 9 in all\n#### 9",
                PairBuilders.corruptFinalAnswer(
                        "He pays 5 * 2 = <<5*2=10>>10 dollars.\nSo 20 - 10 = <<20-10=10>>10 left, 10 in all\n#### 10", -1),
                "earlier lines and the operands before the last '=' keep their numbers");
        assertEquals("It costs $1.50 each, so 3 * 1.50 = <<3*1.5=5.5>>5.5\n#### 5.5",
                PairBuilders.corruptFinalAnswer("It costs $1.50 each, so 3 * 1.50 = <<3*1.5=4.5>>4.5\n#### 4.5", 1));
        assertEquals("So the total is 1235 dollars.\n#### 1235",
                PairBuilders.corruptFinalAnswer("So the total is 1,234 dollars.\n#### 1,234", 1));
        assertEquals("#### 8", PairBuilders.corruptFinalAnswer("#### 7", 1));
    }

    @Test
    void goldPairSharesThePrompt() {
        TextPair p = PairBuilders.goldVsCorrupted("gsm8k-train-0", "Q: How many clips?\nA: ", NATALIA, 1);
        assertEquals("Q: How many clips?\nA: " + NATALIA, p.positive());
        assertEquals("Q: How many clips?\nA: " + PairBuilders.corruptFinalAnswer(NATALIA, 1), p.negative());
        assertEquals("gsm8k-train-0", p.itemId());
    }

    @Test
    void rejectsUnusableSolutions() {
        assertThrows(IllegalArgumentException.class, () -> PairBuilders.corruptFinalAnswer("no final answer", 1));
        assertThrows(IllegalArgumentException.class, () -> PairBuilders.corruptFinalAnswer("x\n#### seven", 1));
        assertThrows(IllegalArgumentException.class, () -> PairBuilders.corruptFinalAnswer(NATALIA, 0));
    }

    @Test
    void pairsCorrectWithIncorrectCompletionsOfTheSameItem() {
        List<GradedCompletion> cs = List.of(
                new GradedCompletion("a", "P1 ", "right #### 3", true),
                new GradedCompletion("b", "P2 ", "wrong #### 1", false),
                new GradedCompletion("a", "P1 ", "wrong #### 4", false),
                new GradedCompletion("a", "P1 ", "also wrong #### 5", false),
                new GradedCompletion("c", "P3 ", "right #### 2", true),
                new GradedCompletion("a", "P1 ", "right again #### 3", true));
        List<TextPair> pairs = PairBuilders.ownCompletions(cs);
        assertEquals(List.of(new TextPair("a", "P1 right #### 3", "P1 wrong #### 4"),
                new TextPair("a", "P1 right again #### 3", "P1 also wrong #### 5")), pairs);
        assertThrows(IllegalArgumentException.class, () -> PairBuilders.ownCompletions(List.of(
                new GradedCompletion("a", "P1 ", "x", true), new GradedCompletion("a", "P9 ", "y", false))));
    }
}
