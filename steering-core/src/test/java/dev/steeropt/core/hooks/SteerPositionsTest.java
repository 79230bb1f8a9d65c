package dev.steeropt.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which positions each mode steers, for a row whose prompt has 5 tokens (position ids 0-4, generated from 5 on). */
class SteerPositionsTest {
    private static final int PROMPT = 5;

    @Test
    void eachModeSelectsItsPositions() {
        for (int pos = 0; pos < 9; pos++) {
            assertTrue(SteerPositions.ALL.selects(pos, PROMPT));
            assertEquals(pos >= PROMPT, SteerPositions.GENERATED.selects(pos, PROMPT), "generated at " + pos);
            assertEquals(pos >= PROMPT - 1, SteerPositions.FROM_LAST_PROMPT_TOKEN.selects(pos, PROMPT), "from last at " + pos);
            assertEquals(pos == PROMPT - 1, SteerPositions.LAST_PROMPT_TOKEN.selects(pos, PROMPT), "last only at " + pos);
        }
        assertTrue(SteerPositions.LAST_PROMPT_TOKEN.sparesPromptPrefix());
        assertFalse(SteerPositions.ALL.sparesPromptPrefix());
    }

    @Test
    void parsesNamesAndRefusesOthers() {
        assertEquals(SteerPositions.LAST_PROMPT_TOKEN, SteerPositions.parse("last-prompt-token"));
        assertEquals(SteerPositions.FROM_LAST_PROMPT_TOKEN, SteerPositions.parse("from_last_prompt_token"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SteerPositions.parse("first"));
        assertTrue(e.getMessage().contains("last_prompt_token"), e.getMessage());
    }
}
