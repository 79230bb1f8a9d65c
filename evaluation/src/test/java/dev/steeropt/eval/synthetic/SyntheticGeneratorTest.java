package dev.steeropt.eval.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.Gsm8k;
import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.Grade;
import dev.steeropt.eval.scoring.Graders;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
    /** One GSM8K calculation annotation: {@code <<a op b=r>>} followed by r. */
    private static final Pattern CALC = Pattern.compile("(\\d+)([-+*/])(\\d+)=<<(\\d+)([-+*/])(\\d+)=(\\d+)>>(\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** Independent re-evaluation of one calculation. */
    private static long evaluate(long a, String op, long b) {
        switch (op) {
            case "+":
                return a + b;
            case "-":
                return a - b;
            case "*":
                return a * b;
            case "/":
                assertEquals(0, a % b, a + "/" + b + " must divide exactly");
                return a / b;
            default:
                throw new AssertionError("unexpected operator " + op);
        }
    }

    /** Checks one problem by parsing its solution; returns the number of calculation lines. */
    private static int verify(Problem p) {
        String[] lines = p.goldSolution().split("\n");
        Set<Long> known = new HashSet<>();
        Matcher qn = NUMBER.matcher(p.question());
        while (qn.find()) {
            known.add(Long.parseLong(qn.group()));
        }
        long last = -1;
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher m = CALC.matcher(lines[i]);
            assertTrue(m.find(), p.id() + ": line without a calculation: " + lines[i]);
            long a = Long.parseLong(m.group(1));
            long b = Long.parseLong(m.group(3));
            assertEquals(m.group(1) + m.group(2) + m.group(3), m.group(4) + m.group(5) + m.group(6),
                    "text and annotation show the same expression");
            long r = evaluate(a, m.group(2), b);
            assertEquals(r, Long.parseLong(m.group(7)), p.id() + ": wrong result in " + lines[i]);
            assertEquals(r, Long.parseLong(m.group(8)), p.id() + ": result after >> differs in " + lines[i]);
            assertTrue(r >= 2 && r <= 999, p.id() + ": result out of range " + r);
            assertTrue(known.contains(a) && known.contains(b),
                    p.id() + ": operand not from the question or an earlier line: " + lines[i] + "\n" + p.question());
            assertTrue(!m.find(), p.id() + ": one calculation per line: " + lines[i]);
            known.add(r);
            last = r;
        }
        assertEquals("#### " + last, lines[lines.length - 1], p.id());
        assertEquals(Long.toString(last), p.goldAnswer());
        assertEquals(Long.toString(last), Gsm8k.finalAnswer(p.goldSolution()));
        return lines.length - 1;
    }

    @Test
    void solutionsRecomputeAndDifficultyIsTheNumberOfOperations() {
        SyntheticGenerator g = new SyntheticGenerator(12345L);
        Map<Template, Integer> templates = new EnumMap<>(Template.class);
        int[] difficulties = new int[5];
        for (int i = 0; i < 3000; i++) {
            Problem p = g.generate("train", i);
            int ops = verify(p);
            assertEquals(Integer.parseInt(p.metadata().get("difficulty")), ops, p.id());
            difficulties[ops]++;
            templates.merge(Template.valueOf(p.metadata().get("template").toUpperCase()), 1, Integer::sum);
            assertEquals("synthetic-train-" + i, p.id());
            assertTrue(p.question().length() <= 200, p.id() + " question too long: " + p.question());
            assertTrue(p.question().chars().allMatch(c -> c >= 32 && c < 127), "ASCII question " + p.question());
            assertTrue(p.goldSolution().chars().allMatch(c -> c == '\n' || (c >= 32 && c < 127)), "ASCII answer");
            Grade gold = Graders.gsm8k().grade(p, p.goldSolution());
            assertTrue(gold.strict() && gold.flexible(), p.id() + " gold solution grades correct");
        }
        assertEquals(Template.values().length, templates.size(), "every template is used: " + templates);
        for (int d = 1; d <= 4; d++) {
            assertTrue(difficulties[d] > 600, "difficulty " + d + " drawn " + difficulties[d] + " times of 3000");
        }
    }

    @Test
    void fixedDifficultyGivesThatManyOperationsForEveryTemplate() {
        SyntheticGenerator g = new SyntheticGenerator(5L);
        for (int d = 1; d <= 4; d++) {
            Set<String> seenTemplates = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                Problem p = g.generate("validation", i, d);
                assertEquals(d, verify(p));
                seenTemplates.add(p.metadata().get("template"));
            }
            assertEquals(Template.values().length, seenTemplates.size());
        }
        assertThrows(IllegalArgumentException.class, () -> g.generate("train", 0, 5));
    }

    @Test
    void deterministicPerSeedSplitAndIndex() {
        SyntheticGenerator a = new SyntheticGenerator(9L);
        SyntheticGenerator b = new SyntheticGenerator(9L);
        assertEquals(a.generate("train", 17), b.generate("train", 17));
        // order of calls does not matter
        b.generate("train", 3);
        assertEquals(a.generate("train", 40), b.generate("train", 40));
        assertNotEquals(a.generate("train", 17).question(), new SyntheticGenerator(10L).generate("train", 17).question());
        assertNotEquals(a.generate("train", 17).question(), a.generate("test", 17).question());
        assertNotEquals(a.generate("train", 17, 0, 0).question(), a.generate("train", 17, 0, 1).question());
    }

    @Test
    void namesAndObjectsVary() {
        SyntheticGenerator g = new SyntheticGenerator(1L);
        Set<String> firstWords = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firstWords.add(g.generate("train", i).question().split(" ")[0]);
        }
        assertEquals(Cast.BOYS.size() + Cast.GIRLS.size(), firstWords.size(), firstWords.toString());
        List<String> questions = List.of(g.generate("train", 0).question(), g.generate("train", 1).question());
        assertNotEquals(questions.get(0), questions.get(1));
    }
}
