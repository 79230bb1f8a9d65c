package dev.steeropt.eval.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatexAnswerNormalizerTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\\dfrac{1}{2}                  | \\frac{1}{2}",
            "\\tfrac{3}{4}                  | \\frac{3}{4}",
            "\\frac12                       | \\frac{1}{2}",
            "\\frac1{10}                    | \\frac{1}{10}",
            "\\frac{3}4                     | \\frac{3}{4}",
            "\\sqrt3                        | \\sqrt{3}",
            "\\text{(C)}                    | (C)",
            "\\textbf{Evelyn}               | Evelyn",
            "10\\text{ cm}                  | 10",
            "5 dollars                      | 5",
            "90^\\circ                      | 90",
            "90^{\\circ}                    | 90",
            "\\$32                          | 32",
            "50\\%                          | 50",
            "\\left( 3, \\frac{\\pi}{2} \\right) | (3,\\frac{\\pi}{2})",
            "x = 5                          | 5",
            "12.                            | 12",
            "1,000                          | 1000",
            "1{,}000                        | 1000",
            "(1,2)                          | (1,2)",
            "3/4                            | \\frac{3}{4}",
            "-3/4                           | -\\frac{3}{4}",
            ".5                             | 0.5",
            "\\boxed{7}                     | 7",
            "2 \\, \\text{m}                | 2m",
            "\\displaystyle \\frac{a}{b}    | \\frac{a}{b}",
    })
    void normalisesCommonForms(String input, String expected) {
        assertEquals(expected, LatexAnswerNormalizer.normalize(input));
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1}")
    @CsvSource(delimiter = '|', value = {
            "0.5                | \\frac{1}{2}   | true",
            "1/2                | \\frac{1}{2}   | true",
            "\\frac12           | 0.5            | true",
            "\\dfrac{2}{4}      | \\frac{1}{2}   | true",
            "-\\frac{1}{2}      | -0.5           | true",
            "\\frac{-1}{2}      | -0.5           | true",
            "3                  | 3.0            | true",
            "3                  | \\frac{6}{2}   | true",
            "0.33               | \\frac{1}{3}   | false",
            "\\frac{1}{0}       | 0              | false",
            "\\sqrt{2}          | \\sqrt2        | true",
            "x^2+1              | x^2+1          | true",
            "x^2+1              | x^2+2          | false",
            "\\text{(C)}        | (C)            | true",
            "10^\\circ          | 10             | true",
    })
    void equivalence(String a, String b, boolean expected) {
        assertEquals(expected, LatexAnswerNormalizer.equivalent(a, b));
        assertEquals(expected, LatexAnswerNormalizer.equivalent(b, a), "symmetric");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\\dfrac12", "10\\text{ cm}.", "\\left(1,2\\right)", "x = \\frac{3}4",
            "1,000,000", "\\boxed{\\text{(B)}}"})
    void normalisationIsIdempotent(String s) {
        String once = LatexAnswerNormalizer.normalize(s);
        assertEquals(once, LatexAnswerNormalizer.normalize(once));
    }
}
