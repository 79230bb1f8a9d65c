package dev.steeropt.core.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    /** Expected: python3 -c "import json; print(json.dumps(['é\n', 1e-05, 0.5, 1e16, -2.5e-07], ensure_ascii=False))". */
    @Test
    void matchesPythonJsonDumps() {
        StringBuilder sb = new StringBuilder("[");
        JsonText.quote(sb, "é\n");
        sb.append(", ").append(JsonText.pythonFloat(1e-5)).append(", ").append(JsonText.pythonFloat(0.5))
                .append(", ").append(JsonText.pythonFloat(1e16)).append(", ").append(JsonText.pythonFloat(-2.5e-7))
                .append(']');
        assertEquals("[\"é\\n\", 1e-05, 0.5, 1e+16, -2.5e-07]", sb.toString());
    }

    @Test
    void nonFiniteFloatsHaveNoJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> JsonText.pythonFloat(Double.NaN));
    }
}
