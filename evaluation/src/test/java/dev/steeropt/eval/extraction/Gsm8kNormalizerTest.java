package dev.steeropt.eval.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Gsm8kNormalizerTest {

    @ParameterizedTest(name = "[{index}] {0} vs {1}")
    @CsvSource(delimiter = '|', value = {
            // predicted | gold | equivalent
            "18          | 18   | true",
            "18.0        | 18   | true",
            "18.00       | 18   | true",
            "18.         | 18   | true",
            "$18         | 18   | true",
            "1,234       | 1234 | true",
            "'1,234.00'  | 1234 | true",
            "-5          | -5   | true",
            "-5          | 5    | false",
            "0.5         | .5   | true",
            "17          | 18   | false",
            "1..         | 1    | false",
            "18.5        | 18   | false",
            "$1,000,000. | 1000000 | true",
            "ABC         | abc  | true",
    })
    void comparesAsStringsOrNumbers(String predicted, String gold, boolean equivalent) {
        assertEquals(equivalent, Gsm8kNormalizer.equivalent(predicted, gold));
    }

    @Test
    void normalisationMatchesTheHarnessIgnoreList() {
        assertEquals("1234", Gsm8kNormalizer.normalize("$1,234."));
        assertEquals("42", Gsm8kNormalizer.normalize("The steps...\n#### 42"));
        assertEquals("1.", Gsm8kNormalizer.normalize("1.."), "only one trailing full stop is removed");
        assertEquals("-3", Gsm8kNormalizer.normalize("-3"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"$1,234.", "#### 5", "Hello.", "-0.50", "x"})
    void normalisationIsIdempotentOnExtractedAnswers(String s) {
        String once = Gsm8kNormalizer.normalize(s);
        assertEquals(once, Gsm8kNormalizer.normalize(once));
    }
}
