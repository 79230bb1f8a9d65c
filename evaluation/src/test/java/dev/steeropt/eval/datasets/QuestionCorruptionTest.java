package dev.steeropt.eval.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.synthetic.SyntheticGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link QuestionCorruption} on generated synthetic problems and a hand-written GSM8K item: the corrupted question
 * differs from the clean one (same length), its gold answer differs, the corrupted solution's arithmetic holds line by
 * line with every operand either a number of the corrupted question or a result of an earlier line (so a corruption
 * that forgot to carry a changed result into the lines below fails), and the same seed gives the same corruption.
 */
class QuestionCorruptionTest {
    private static final Pattern CALC = Pattern.compile("<<(\\d+)([-+*/])(\\d+)=(\\d+)>>");

    private static List<Problem> synthetic() {
        SyntheticGenerator g = new SyntheticGenerator(7);
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(g.generate("validation", i));
        }
        return out;
    }

    @Test
    void corruptedQuestionsDifferAndTheirWorkedAnswersChange() {
        QuestionCorruption c = QuestionCorruption.seeded(3);
        int corrupted = 0;
        for (Problem p : synthetic()) {
            Optional<Problem> o = c.corrupt(p);
            if (o.isEmpty()) {
                continue;
            }
            corrupted++;
            Problem k = o.get();
            assertEquals(p.id(), k.id());
            assertNotEquals(p.question(), k.question());
            assertEquals(p.question().length(), k.question().length(), "same digit count: " + k.question());
            assertNotEquals(p.goldAnswer(), k.goldAnswer(), p.question() + " -> " + k.question());
            Set<Long> known = new HashSet<>();
            Matcher q = Pattern.compile("\\d+").matcher(k.question());
            while (q.find()) {
                known.add(Long.parseLong(q.group()));
            }
            long last = -1;
            Matcher m = CALC.matcher(k.goldSolution());
            while (m.find()) {
                long a = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(3));
                long r = Long.parseLong(m.group(4));
                long expect = switch (m.group(2)) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    case "*" -> a * b;
                    default -> a / b;
                };
                assertEquals(expect, r, p.question() + "\n" + p.goldSolution() + "\n" + k.metadata() + "\n" + k.goldSolution());
                assertTrue(known.contains(a) && known.contains(b), "operand not from the question or an earlier line: "
                        + m.group() + " in\n" + k.question() + "\n" + k.goldSolution());
                known.add(r);
                last = r;
            }
            assertEquals(Long.toString(last), k.goldAnswer());
            assertTrue(k.goldSolution().endsWith("#### " + k.goldAnswer()), k.goldSolution());
            assertTrue(k.metadata().get("corrupted").matches("\\d+->\\d+"));
        }
        assertTrue(corrupted >= 180, "most synthetic problems can be corrupted, got " + corrupted + " of 200");
    }

    @Test
    void theSameSeedGivesTheSameCorruption() {
        List<Problem> items = synthetic();
        QuestionCorruption a = QuestionCorruption.seeded(11);
        QuestionCorruption b = QuestionCorruption.seeded(11);
        QuestionCorruption other = QuestionCorruption.seeded(12);
        int differ = 0;
        for (Problem p : items) {
            assertEquals(a.corrupt(p), b.corrupt(p));
            differ += a.corrupt(p).equals(other.corrupt(p)) ? 0 : 1;
        }
        assertTrue(differ > 50, "another seed changes other numbers: " + differ);
    }

    @Test
    void aGsm8kItemIsRecomputedThroughItsCalculations() {
        Problem p = Problem.of("gsm8k-test-0", "Tom has 3 bags with 4 apples in each bag. He eats 2 apples. How many are left?",
                "Tom has 3*4=<<3*4=12>>12 apples.\nHe has 12-2=<<12-2=10>>10 apples left.\n#### 10", "10");
        Problem k = QuestionCorruption.seeded(0).corrupt(p).orElseThrow();
        String[] change = k.metadata().get("corrupted").split("->");
        long bags = k.question().contains(" " + change[1] + " bags") ? Long.parseLong(change[1]) : 3;
        long each = k.question().contains(" " + change[1] + " apples in") ? Long.parseLong(change[1]) : 4;
        long eaten = k.question().contains("eats " + change[1]) ? Long.parseLong(change[1]) : 2;
        assertEquals(Long.toString(bags * each - eaten), k.goldAnswer(), k.question() + "\n" + k.goldSolution());
        assertTrue(QuestionCorruption.seeded(0).corrupt(Problem.of("x", "What is two plus two?", "#### 4", "4")).isEmpty(),
                "a question without numbers cannot be corrupted");
    }
}
