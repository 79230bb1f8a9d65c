package dev.steeropt.eval.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.eval.datasets.DatasetName;
import dev.steeropt.eval.datasets.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GradersTest {

    @ParameterizedTest(name = "[{index}] gold {0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // gold | completion | strict | flexible | strictExtracted | flexibleExtracted
            "1234 | So the total is 1,234.\\n#### 1,234          | true  | true  | 1,234  | 1,234",
            "18   | She makes $18.00 a day.                      | false | true  | NONE   | $18.00",
            "18   | #### 18.0 dollars, wait, 20                  | true  | false | 18.0   | 20",
            "-3   | The temperature is -3 degrees.\\n#### -3     | true  | true  | -3     | -3",
            "5    | I cannot solve this.                         | false | false | NONE   | NONE",
            "0.5  | Half, that is .5                             | false | true  | NONE   | .5",
            "72   | 48/2 = 24 and 48 + 24 = 72                   | false | true  | NONE   | 72",
    })
    void gsm8kStrictAndFlexibleAreSeparate(String gold, String completion, boolean strict, boolean flexible,
                                           String strictExtracted, String flexibleExtracted) {
        Grade g = Graders.gsm8k().grade(Problem.of("x", "q", "#### " + gold, gold), completion.replace("\\n", "\n"));
        assertEquals(new Grade(strict, flexible, strictExtracted, flexibleExtracted), g);
    }

    @ParameterizedTest(name = "[{index}] gold {0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "\\frac{1}{2}  | so $\\boxed{\\frac{1}{2}}$.                  | true  | true",
            "\\frac{1}{2}  | so $\\boxed{\\dfrac12}$.                     | true  | true",
            "\\frac{1}{2}  | so $\\boxed{0.5}$.                           | false | true",
            "\\frac{1}{2}  | Final Answer: The final answer is $1/2$. I hope it is correct. | false | true",
            "10            | $\\boxed{10\\text{ cm}}$                      | true  | true",
            "(3,\\frac{\\pi}{2}) | $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$ | true | true",
            "7             | no answer given                               | false | false",
            "7             | \\boxed{8} hmm, 7                             | false | false",
    })
    void math500StrictIsNormalFormFlexibleIsEquivalence(String gold, String completion, boolean strict,
                                                        boolean flexible) {
        Grade g = Graders.math500().grade(Problem.of("x", "q", "", gold), completion);
        assertEquals(strict, g.strict(), "strict " + g);
        assertEquals(flexible, g.flexible(), "flexible " + g);
    }

    @Test
    void datasetsMapToTheirGraders() {
        Problem p = Problem.of("x", "q", "", "\\frac{1}{2}");
        assertTrue(Graders.forDataset(DatasetName.MATH500).grade(p, "\\boxed{0.5}").flexible());
        assertFalse(Graders.forDataset(DatasetName.GSM8K).grade(p, "\\boxed{0.5}").flexible());
        assertThrows(IllegalArgumentException.class, () -> new Grade(true, false, null, null));
    }
}
