package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.steeropt.studies.spec.VectorSourceKind;
import dev.steeropt.studies.spec.VectorSourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --vector-source} and {@code --versus} as parsed: contrast by default with the default study name unchanged,
 * and a suffix for the other sources so that their studies do not collide with the contrast study of the same sizes.
 */
class VectorSourceOptionsTest {
    @TempDir
    Path tmp;

    private static VectorSourceOptions parse(String... args) {
        OptimizeCommand cmd = new OptimizeCommand();
        CommandLine cli = new CommandLine(cmd);
        EdgeNames.register(cli);
        cli.parseArgs(args);
        return cmd.vectorSource;
    }

    @Test
    void contrastByDefaultAndOtherSourcesGetTheirOwnStudyName() throws Exception {
        VectorSourceOptions none = parse();
        assertSame(VectorSourceSpec.CONTRAST, none.resolve());
        assertEquals("", none.studyNameSuffix(), "existing default study names hold");
        assertSame(VectorSourceSpec.CONTRAST, parse("--vector-source", "contrast").resolve());

        VectorSourceOptions cross = parse("--vector-source", "cross-model", "--versus", "demo-careful");
        assertEquals(VectorSourceKind.CROSS_MODEL, cross.resolve().kind());
        assertEquals("-versus-demo-careful", cross.studyNameSuffix());

        Path dir = Files.createDirectories(tmp.resolve("dirs-a"));
        Files.write(dir.resolve("directions.safetensors"), new byte[] {1, 2, 3});
        VectorSourceOptions d = parse("--vector-source", dir.toString());
        assertEquals(VectorSourceSpec.directory(dir.toString(),
                dev.steeropt.cache.key.Fingerprints.file(dir.resolve("directions.safetensors"))), d.resolve());
        assertEquals("-dirs-a", d.studyNameSuffix());
    }
}
