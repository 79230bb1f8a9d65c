package dev.steeropt.core.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one Python-exact JSON writer of steering-core. */
class PythonJsonTest {

    /** Expected: python3 -c "import json; print(json.dumps(['é\n', 1e-05, 0.5, 1e16, -2.5e-07], ensure_ascii=False))". */
    @Test
    void matchesPythonJsonDumps() {
        StringBuilder sb = new StringBuilder("[");
        PythonJson.quote(sb, "é\n");
        sb.append(", ").append(PythonJson.pythonFloat(1e-5)).append(", ").append(PythonJson.pythonFloat(0.5))
                .append(", ").append(PythonJson.pythonFloat(1e16)).append(", ").append(PythonJson.pythonFloat(-2.5e-7))
                .append(']');
        assertEquals("[\"é\\n\", 1e-05, 0.5, 1e+16, -2.5e-07]", sb.toString());
    }

    @Test
    void nonFiniteFloatsHaveNoJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> PythonJson.pythonFloat(Double.NaN));
    }

    private static Map<String, Object> sample(Object g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1, 2.5, Map.of("b", "é")));
        m.put("c", Map.of());
        m.put("d", List.of());
        m.put("e", null);
        m.put("f", true);
        m.put("g", g);
        return m;
    }

    /** Expected: json.dumps(sample, indent=2, ensure_ascii=False) and json.dumps(sample, ensure_ascii=False), python3. */
    @Test
    void hfFilesAndTojsonMatchPythonIndentedAndOnOneLine() {
        assertEquals("{\n  \"a\": [\n    1,\n    2.5,\n    {\n      \"b\": \"é\"\n    }\n  ],\n  \"c\": {},\n  \"d\": [],\n"
                + "  \"e\": null,\n  \"f\": true,\n  \"g\": 1e-05\n}\n", PythonJson.hfFile(sample(1e-5)));
        assertEquals(PythonJson.hfFile(sample(1e-5f)), PythonJson.hfFile(sample(1e-5)), "a float prints as its decimal");
        assertEquals("{\"a\": [1, 2.5, {\"b\": \"é\"}], \"c\": {}, \"d\": [], \"e\": null, \"f\": true, \"g\": NaN}",
                PythonJson.dumps(sample(Double.NaN), null));
    }

    @Test
    void hfFilesRefuseWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> PythonJson.hfFile(sample(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> PythonJson.hfFile(sample(new Object())));
        assertEquals("\"x\"", PythonJson.dumps(new StringBuilder("x"), 2));
    }
}
