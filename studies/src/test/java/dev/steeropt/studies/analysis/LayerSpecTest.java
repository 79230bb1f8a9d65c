package dev.steeropt.studies.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.errors.UserFacingException;
import org.junit.jupiter.api.Test;

class LayerSpecTest {
    @Test
    void formsResolveAgainstTheModelDepth() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, LayerSpec.parse("all").resolve(4));
        assertArrayEquals(new int[] {1, 2, 3}, LayerSpec.parse("1-3").resolve(4));
        assertArrayEquals(new int[] {2}, LayerSpec.parse("2-2").resolve(4));
        assertArrayEquals(new int[] {0, 2, 3}, LayerSpec.parse(" 3,0,2,2 ").resolve(4), "sorted, distinct");
        assertArrayEquals(new int[] {1}, LayerSpec.parse("1").resolve(4), "a single layer is a one-element list");
    }

    @Test
    void badSpecsAreUsageErrorsThatNameTheForms() {
        for (String bad : new String[] {"", "x", "1-", "-1", "1--2", "1,,2", "1.5", "a-b", "1-3,5"}) {
            UserFacingException e = assertThrows(UserFacingException.class, () -> LayerSpec.parse(bad), bad);
            assertEquals(UserFacingException.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("a-b") || e.getMessage().contains("empty"), e.getMessage());
        }
        UserFacingException empty = assertThrows(UserFacingException.class, () -> LayerSpec.parse("3-1"));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @Test
    void layersBeyondTheModelAreRefusedAtResolve() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> LayerSpec.parse("2-4").resolve(4));
        assertTrue(e.getMessage().contains("layer 4 does not exist") && e.getMessage().contains("0 to 3"),
                e.getMessage());
        assertEquals(4, LayerSpec.parse("0-3").resolve(4).length);
    }
}
