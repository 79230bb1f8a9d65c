package dev.steeropt.studies.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.errors.UserFacingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token: where it comes from, what it accepts, and that a guessable one is refused. */
class BearerTokenTest {
    static final String T = "s3cret-s3cret-s3cret";

    @Test
    void acceptsOnlyTheExactTokenAfterBearer() {
        BearerToken t = BearerToken.of(T, "test");
        assertTrue(t.accepts("Bearer " + T));
        assertFalse(t.accepts("Bearer " + T + "x"), "longer");
        assertFalse(t.accepts("Bearer " + T.substring(1)), "shorter");
        assertFalse(t.accepts("Bearer "), "empty");
        assertFalse(t.accepts(T), "no scheme");
        assertFalse(t.accepts("Basic " + T), "another scheme");
        assertFalse(t.accepts(null));
        assertFalse(t.toString().contains(T), "never printed");
    }

    @Test
    void comesFromTheFileFirstThenTheEnvironment(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("token"), T + "\nignored second line\n");
        assertTrue(BearerToken.resolve(f, Map.of(BearerToken.ENV, "other-token-other-token")).orElseThrow()
                .accepts("Bearer " + T));
        assertTrue(BearerToken.resolve(null, Map.of(BearerToken.ENV, T)).orElseThrow().accepts("Bearer " + T));
        assertTrue(BearerToken.resolve(null, Map.of()).isEmpty());
        UserFacingException missing = assertThrows(UserFacingException.class,
                () -> BearerToken.resolve(tmp.resolve("absent"), Map.of()));
        assertEquals(UserFacingException.USAGE, missing.exitCode());
    }

    @Test
    void refusesAShortToken() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> BearerToken.of("short", "--token-file"));
        assertTrue(e.getMessage().contains("16"), e.getMessage());
    }
}
