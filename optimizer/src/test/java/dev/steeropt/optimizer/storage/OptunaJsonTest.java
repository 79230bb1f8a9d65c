package dev.steeropt.optimizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OptunaJsonTest {

    /** Expected strings are what CPython 3.11 prints for repr(x) / json.dumps(x). */
    @ParameterizedTest
    @CsvSource({
        "0.0001, 0.0001", "1.0E-5, 1e-05", "1.5E-7, 1.5e-07", "5.0, 5.0", "-4.0, -4.0", "0.1, 0.1",
        "1.0E16, 1e+16", "1.2345E20, 1.2345e+20", "123456789012345.0, 123456789012345.0", "0.003, 0.003",
        "2.5E-4, 0.00025", "-3.3223680114155156, -3.3223680114155156", "1.0E-100, 1e-100", "9999999999999998.0, 9999999999999998.0", "3.0000000000000004E-4, 0.00030000000000000003", "9.313225746154785E-10, 9.313225746154785e-10"})
    void floatsArePythonRepr(double x, String python) {
        assertEquals(python, OptunaJson.formatFloat(x));
    }

    @Test
    void dumpsMatchesPythonJsonDumps() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1L, 2.0, "x"));
        m.put("b", null);
        m.put("é", Double.NaN);
        m.put("q", "say \"hi\"\n");
        // python3 -c 'import json; print(json.dumps({"a": [1, 2.0, "x"], "b": None, "é": float("nan"), "q": "say \"hi\"\n"}))'
        assertEquals("{\"a\": [1, 2.0, \"x\"], \"b\": null, \"\\u00e9\": NaN, \"q\": \"say \\\"hi\\\"\\n\"}",
                OptunaJson.dumps(m));
    }

    @Test
    void loadsReadsWhatOptunaAndDumpsWrite() {
        Object v = OptunaJson.loads("{\"a\": [1, 2.5, \"x\", null, true], \"n\": NaN, \"i\": -Infinity}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", java.util.Arrays.asList(1L, 2.5, "x", null, true));
        expected.put("n", Double.NaN);
        expected.put("i", Double.NEGATIVE_INFINITY);
        assertEquals(expected, v);
        assertEquals(OptunaJson.dumps(expected), OptunaJson.dumps(OptunaJson.loads(OptunaJson.dumps(expected))));
        assertEquals(null, OptunaJson.loads(null));
    }
}
