package dev.steeropt.studies.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vector source in the study identity: the default ({@code contrast}) is absent from the spec JSON, so a spec
 * stored before the field existed keeps its bytes and identity; another model B or another directions file is
 * another study, the same one resumes it; the field round-trips.
 */
class VectorSourceSpecTest {
    private static final VectorSourceSpec CAREFUL = VectorSourceSpec.crossModel("/models/careful", "b1");

    /** Catches: the field written as {"kind":"contrast"} (e.g. plain NON_NULL with a non-null default). */
    @Test
    void contrastIsLeftOutSoStoredIdentitiesHold() throws Exception {
        StudySpec stored = Specs.fromAttr(StoredSpecCompatibilityTest.STORED);
        assertSame(VectorSourceSpec.CONTRAST, stored.vectorSource(), "a stored spec without the field means contrast");
        assertFalse(Specs.toTree(stored).has("vector_source"), Specs.toJson(stored));
        assertEquals(StoredSpecCompatibilityTest.STORED, Specs.JSON.writeValueAsString(Specs.toAttr(stored)));
        StudySpec explicit = stored.withVectorSource(VectorSourceSpec.CONTRAST);
        assertEquals(Specs.identity(stored), Specs.identity(explicit));
        assertEquals(List.of(), Specs.diff(stored, explicit));
    }

    @Test
    void anotherModelBIsAnotherStudyAndTheSameOneResumes() {
        StudySpec base = StudySpecTest.spec();
        StudySpec careful = base.withVectorSource(CAREFUL);
        StudySpec other = base.withVectorSource(VectorSourceSpec.crossModel("/models/careful", "b2"));
        StudySpec dir = base.withVectorSource(VectorSourceSpec.directory("/runs/dirs", "f1"));
        assertNotEquals(Specs.identity(base), Specs.identity(careful));
        assertNotEquals(Specs.identity(careful), Specs.identity(other));
        assertNotEquals(Specs.identity(careful), Specs.identity(dir));
        assertEquals(List.of("vector_source.source_sha256: \"b1\" -> \"b2\""), Specs.diff(careful, other));
        assertEquals(Specs.identity(careful), Specs.identity(base.withVectorSource(
                VectorSourceSpec.crossModel("/models/careful", "b1"))));
        assertTrue(Specs.diff(base, careful).contains("vector_source.kind: (absent) -> \"cross_model\""),
                Specs.diff(base, careful).toString());
    }

    @Test
    void roundTrips() {
        for (VectorSourceSpec v : List.of(VectorSourceSpec.CONTRAST, CAREFUL,
                VectorSourceSpec.directory("/runs/dirs", "f1"))) {
            StudySpec s = StudySpecTest.spec().withVectorSource(v);
            StudySpec back = Specs.fromAttr(Specs.toAttr(s));
            assertEquals(s, back);
            assertEquals(v, back.vectorSource());
        }
        assertEquals("cross_model", Specs.toTree(StudySpecTest.spec().withVectorSource(CAREFUL)).get("vector_source")
                .get("kind").asText());
    }

    @Test
    void aSourceAndItsHashGoWithTheNonDefaultKindsOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> new VectorSourceSpec(VectorSourceKind.CONTRAST, "/models/careful", "b1"));
        assertThrows(IllegalArgumentException.class,
                () -> new VectorSourceSpec(VectorSourceKind.CROSS_MODEL, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new VectorSourceSpec(VectorSourceKind.DIRECTORY, "/runs/dirs", null));
        assertEquals(VectorSourceKind.CROSS_MODEL, VectorSourceKind.parse("cross-model"));
    }
}
