package dev.steeropt.eval.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values follow lm-evaluation-harness's regexes by hand (findall, group_select, first non-empty group). */
class Gsm8kExtractorsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            // completion | strict | flexible
            "So she makes 9 * 2 = $18.\\n#### 18           | 18      | 18",
            "#### 1,234                                     | 1,234   | 1,234",
            "The total is $1,234.50, so #### $1,234.50      | NONE    | $1,234.50",
            "#### -5 degrees                                | -5      | -5",
            "Temperature falls to -12                       | NONE    | -12",
            "#### 3.75                                      | 3.75    | 3.75",
            "The answer is 42.                              | NONE    | 42.",
            "First 3 apples, then 5 pears, so 8 fruits      | NONE    | 8",
            "I do not know.                                 | NONE    | NONE",
            "''                                             | NONE    | NONE",
            "#### 7 and later #### 9                        | 7       | 9",
            "####7                                          | NONE    | 7",
            "He pays 5 dollars, and 3 cents.                | NONE    | 3",
            "We get 12.5 and 1.. hmm                        | NONE    | 1..",
            "So 2 + 2 = 4\\n#### 4\\nQuestion: next 17      | 4       | 17",
    })
    void extractsLikeTheHarness(String completion, String strict, String flexible) {
        String text = completion.replace("\\n", "\n");
        assertEquals(strict, Gsm8kExtractors.STRICT.extract(text).orElse(null), "strict");
        assertEquals(flexible, Gsm8kExtractors.FLEXIBLE.extract(text).orElse(null), "flexible");
    }
}
