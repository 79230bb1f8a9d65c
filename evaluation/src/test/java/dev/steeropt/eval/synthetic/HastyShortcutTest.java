package dev.steeropt.eval.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.Problem;
import dev.steeropt.eval.scoring.Graders;
import java.util.List;
import org.junit.jupiter.api.Test;

class HastyShortcutTest {

    @Test
    void sumsEveryNumberOfTheQuestion() {
        assertEquals("3+4+20=27\n#### 27", HastyShortcut.solution("Tom buys 3 pens for $4 each. He pays with $20."));
        assertEquals(27, HastyShortcut.answer("Tom buys 3 pens for $4 each. He pays with $20."));
        assertThrows(IllegalArgumentException.class, () -> HastyShortcut.solution("No numbers here."));
    }

    @Test
    void isWrongExceptForCountedCoincidences() {
        // measured property of the templates: the sum equals the gold answer only where the chain is one addition
        // of the question's two numbers (ages at difficulty 1); elsewhere at most a few coincidences
        List<Problem> ps = SyntheticDataset.generate(9, "hasty", 2000);
        int coincidences = 0;
        int agesOne = 0;
        for (Problem p : ps) {
            boolean right = Graders.gsm8k().grade(p, " " + HastyShortcut.solution(p.question())).strict();
            assertEquals(HastyShortcut.isCoincidence(p), right, p.question());
            boolean isAgesOne = "ages".equals(p.metadata().get("template")) && "1".equals(p.metadata().get("difficulty"));
            agesOne += isAgesOne ? 1 : 0;
            if (right && !isAgesOne) {
                coincidences++;
            }
            if (isAgesOne) {
                assertTrue(right, p.question());
            }
        }
        assertTrue(agesOne > 0);
        assertTrue(coincidences < ps.size() / 50, coincidences + " coincidences in " + ps.size());
    }
}
