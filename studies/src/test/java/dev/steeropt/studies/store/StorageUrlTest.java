package dev.steeropt.studies.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Optuna-style and JDBC storage URLs. */
class StorageUrlTest {

    @Test
    void sqliteUrlsFollowSqlAlchemysSlashes() {
        StorageUrl rel = StorageUrl.parse("sqlite:///studies/x.db");
        assertEquals(StorageUrl.Kind.SQLITE, rel.kind());
        assertEquals(Path.of("studies/x.db"), rel.sqlitePath());
        assertEquals("jdbc:sqlite:studies/x.db", rel.jdbcUrl());
        assertEquals(Path.of("/srv/x.db"), StorageUrl.parse("sqlite:////srv/x.db").sqlitePath());
        assertEquals(Path.of("/srv/y.db"), StorageUrl.parse("jdbc:sqlite:/srv/y.db").sqlitePath());
    }

    @Test
    void postgresUrlsMoveCredentialsOutOfTheUrl() {
        StorageUrl pg = StorageUrl.parse("postgresql+psycopg2://alice:p%40ss@db.example:5433/steer?sslmode=require");
        assertEquals(StorageUrl.Kind.POSTGRESQL, pg.kind());
        assertEquals("jdbc:postgresql://db.example:5433/steer?sslmode=require", pg.jdbcUrl());
        assertEquals("alice", pg.user());
        assertEquals("p@ss", pg.password());
        assertFalse(pg.toString().contains("p%40ss"), "password masked: " + pg);
        StorageUrl noCred = StorageUrl.parse("postgres://db/steer");
        assertNull(noCred.user());
        assertEquals("jdbc:postgresql://db/steer", noCred.jdbcUrl());
        assertEquals(StorageUrl.Kind.POSTGRESQL, StorageUrl.parse("jdbc:postgresql://h/d?user=u").kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u@h/d", "sqlite://x.db", "sqlite:///", "sqlite:///:memory:",
        "postgresql://host", "postgresql://u:secret@host/", "steer.db", "sqlite:///x.db?timeout=3"})
    void unusableUrlsAreRefusedNamingTheAcceptedForms(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StorageUrl.parse(url));
        assertTrue(e.getMessage().contains("sqlite:///relative.db"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "password masked: " + e.getMessage());
    }

    @Test
    void defaultComesFromTheEnvironmentThenTheWorkingDirectory() {
        assertEquals(Path.of("steeropt.db"), StorageUrl.resolve(null, Map.of()).sqlitePath());
        assertEquals(Path.of("/e.db"), StorageUrl.resolve(null, Map.of(StorageUrl.ENV, "sqlite:////e.db")).sqlitePath());
        assertEquals(Path.of("/x.db"),
                StorageUrl.resolve("sqlite:////x.db", Map.of(StorageUrl.ENV, "sqlite:////e.db")).sqlitePath());
    }
}
