package dev.steeropt.studies.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one-statement guard of {@link ReadOnlyQuery}. */
class ReadOnlyQueryTest {

    @Test
    void aSecondStatementIsDetectedOutsideQuotesAndComments() {
        assertFalse(ReadOnlyQuery.hasSecondStatement("SELECT 1"));
        assertFalse(ReadOnlyQuery.hasSecondStatement("SELECT 1;  -- done\n"));
        assertFalse(ReadOnlyQuery.hasSecondStatement("SELECT ';DELETE' AS s, \"a;b\" FROM t /* ; */"));
        assertFalse(ReadOnlyQuery.hasSecondStatement("SELECT 'it''s; fine'"));
        assertFalse(ReadOnlyQuery.hasSecondStatement("SELECT $x$ ; DELETE $x$"));
        assertTrue(ReadOnlyQuery.hasSecondStatement("COMMIT; DELETE FROM trials"));
        assertTrue(ReadOnlyQuery.hasSecondStatement("SELECT 1; /* c */ SELECT 2"));
        assertTrue(ReadOnlyQuery.hasSecondStatement("SELECT 'a'';'; DROP TABLE x"));
    }
}
