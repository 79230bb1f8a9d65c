package dev.steeropt.eval.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BoxedAnswerExtractorTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "so $\\boxed{5}$.                                   | 5",
            "\\boxed{\\frac{1}{2}}                              | \\frac{1}{2}",
            "first \\boxed{1} then \\boxed{\\sqrt{2}}           | \\sqrt{2}",
            "\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}.      | \\left( 3, \\frac{\\pi}{2} \\right)",
            "\\boxed{\\{1,2\\}}                                 | \\{1,2\\}",
            "\\boxed{x^{2^{3}}+1}                               | x^{2^{3}}+1",
            "$\\boxed 7$                                        | 7",
            "\\fbox{12}                                         | 12",
            "\\boxed{3} and later \\fbox{4}                     | 4",
            "\\boxed{unclosed {                                 | NONE",
            "no box here, 42                                    | NONE",
            "\\boxed{}                                          | NONE",
            "\\boxed{\\text{(C)}}                               | \\text{(C)}",
    })
    void extractsTheLastBoxWithMatchedBraces(String completion, String expected) {
        assertEquals(expected, BoxedAnswerExtractor.INSTANCE.extract(completion).orElse(null));
    }
}
