package dev.steeropt.studies.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.steeropt.core.model.io.JsonProblem;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class UserFacingExceptionTest {

    @Test
    void partsJoinIntoOneSentenceWithTheFixAfterIt() {
        UserFacingException e = UserFacingException.usage("Bad --alpha 'x'", "it is not a number", "Pass e.g. --alpha 4.");
        assertEquals("Bad --alpha 'x': it is not a number. Pass e.g. --alpha 4.", e.getMessage());
        assertEquals(2, e.exitCode());
        assertEquals(1, UserFacingException.runtime("Database down", null, null, null).exitCode());
    }

    @Test
    void lineBreaksInAnyPartAreFoldedIntoSpaces() {
        UserFacingException e = UserFacingException.usage("File a.json\nis bad", "line one\r\n  line two", "fix\n");
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
        assertEquals("File a.json is bad: line one line two. fix", e.getMessage());
    }

    @Test
    void aHugeQuotedValueIsShortenedAndTheFixAtTheEndIsKept() {
        UserFacingException e = UserFacingException.usage("config.json: head_dim is \"" + "x".repeat(70_000) + "\"",
                "expected an integer", "Fix head_dim.");
        String m = e.getMessage();
        assertTrue(m.length() <= UserFacingException.MAX_MESSAGE_CHARS, m.length() + " chars");
        assertTrue(m.startsWith("config.json: head_dim is \"xxx") && m.contains("[... 70003 characters ...]x\": expected"), m);
        assertTrue(m.endsWith("expected an integer. Fix head_dim."), m);
        String spaced = UserFacingException.usage("Bad " + "ab ".repeat(2_000), null, "Fix it.").getMessage();
        assertTrue(spaced.length() <= UserFacingException.MAX_MESSAGE_CHARS && spaced.endsWith("Fix it."), spaced);
    }

    @Test
    void jsonProblemKeepsTheParsersSentenceAndPositionButNotItsSourceExcerpt() throws IOException {
        String bad = "{\n  \"a\": 1,\n  }";
        try (JsonParser p = new JsonFactory().createParser(bad)) {
            while (p.nextToken() != null) {
                // read to the error
            }
            throw new AssertionError("the JSON above is malformed");
        } catch (JsonProcessingException e) {
            assertTrue(e.getMessage().contains("StreamReadFeature") || e.getMessage().contains("Source"), e.getMessage());
            String d = JsonProblem.describe(e);
            assertFalse(d.contains("StreamReadFeature") || d.contains("Source") || d.contains("\n"), d);
            assertTrue(d.endsWith("at line 3, column 3"), d);
        }
        try (JsonParser p = new JsonFactory().createParser("{\"a\": [1,\n 2")) {
            while (p.nextToken() != null) {
                // read to the end of input inside an array
            }
            throw new AssertionError("the JSON above is truncated");
        } catch (JsonProcessingException e) {
            assertTrue(e.getOriginalMessage().contains("[Source:"), "Jackson puts the start marker's source in the message");
            String d = JsonProblem.describe(e);
            assertFalse(d.contains("StreamReadFeature") || d.contains("Source"), d);
            assertTrue(d.contains("start marker at line 1, column 7"), d);
        }
    }
}
