package dev.steeropt.studies.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.errors.UserFacingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The harness must fail each kind of bad behaviour it claims to catch, and pass the good ones. */
class FuzzCheckTest {

    @Test
    void acceptsNormalReturnsAndOneLineUserErrors() {
        assertEquals(FuzzCheck.Outcome.ACCEPTED, FuzzCheck.run("self", "ok", FuzzCheck.budgetFor(0), () -> 1));
        assertEquals(FuzzCheck.Outcome.REFUSED, FuzzCheck.run("self", "refused", FuzzCheck.budgetFor(0), () -> {
            throw UserFacingException.usage("File x is bad", "it is empty", "Pass another.");
        }));
    }

    @Test
    void failsOnAnyOtherException() {
        AssertionError e = assertThrows(AssertionError.class, () -> FuzzCheck.run("self", "npe", FuzzCheck.budgetFor(0),
                () -> {
                    throw new NullPointerException("boom");
                }));
        assertTrue(e.getMessage().contains("NullPointerException instead of a user error"), e.getMessage());
        assertThrows(AssertionError.class, () -> FuzzCheck.run("self", "oom", FuzzCheck.budgetFor(0), () -> {
            throw new OutOfMemoryError("Java heap space");
        }));
    }

    /** UserFacingException bounds its message itself; a subclass that overrides getMessage must still be caught. */
    @Test
    void failsOnAUserErrorWhoseMessageIsNotOneBoundedLine() {
        for (String message : new String[] {"two\nlines", "x".repeat(5_000), " "}) {
            AssertionError e = assertThrows(AssertionError.class, () -> FuzzCheck.run("self", "message", FuzzCheck.budgetFor(0),
                    () -> {
                        throw new UserFacingException(UserFacingException.Kind.BAD_INPUT, "ok", null) {
                            private static final long serialVersionUID = 1L;

                            @Override
                            public String getMessage() {
                                return message;
                            }
                        };
                    }));
            assertTrue(e.getMessage().contains("not one line"), e.getMessage());
        }
    }

    @Test
    void failsOnAHangAtTheDeadline() {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> FuzzCheck.run("self", "hang", FuzzCheck.budgetFor(0),
                java.time.Duration.ofSeconds(1), () -> {
                    Thread.sleep(60_000);
                    return null;
                }));
        assertTrue(e.getMessage().contains("a hang"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "cut off at the deadline");
        assertEquals(FuzzCheck.Outcome.ACCEPTED, FuzzCheck.run("self", "after a hang", FuzzCheck.budgetFor(0), () -> 1));
    }

    @Test
    void failsOnAnAllocationDrivenByALengthFieldLargerThanTheInput() {
        byte[] input = new byte[16];
        long claimed = 200L << 20; // what a header might claim
        AssertionError e = assertThrows(AssertionError.class, () -> FuzzCheck.run("self", "alloc",
                FuzzCheck.budgetFor(input.length), () -> new byte[(int) claimed]));
        assertTrue(e.getMessage().contains("more than its budget"), e.getMessage());
    }

    @Test
    void byteMutationsChangeTheInputAndJsonMutationsMostlyStayJson() {
        byte[] original = "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": 4.5}".getBytes(StandardCharsets.UTF_8);
        Random r = new Random(7);
        int changed = 0;
        int json = 0;
        for (int i = 0; i < 200; i++) {
            if (!java.util.Arrays.equals(original, Mutations.mutateBytes(original, r))) {
                changed++;
            }
            String m = Mutations.mutateJson(Mutations.parse(new String(original, StandardCharsets.UTF_8)), r);
            assertNotEquals(null, m);
            try {
                Mutations.parse(m);
                json++;
            } catch (IllegalArgumentException notJson) {
                // deep nesting past Jackson's limit is not JSON to it
            }
        }
        assertTrue(changed > 180, changed + " of 200 byte mutations changed the input");
        assertTrue(json > 150, json + " of 200 tree mutations are parseable JSON");
    }
}
