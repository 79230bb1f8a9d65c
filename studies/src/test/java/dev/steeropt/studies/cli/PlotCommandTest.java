package dev.steeropt.studies.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.plots.PlotKind;
import dev.steeropt.studies.service.ServiceFixture;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steeropt plot}: every kind writes a readable image; bad input is one Error line and exit code 2. */
class PlotCommandTest {
    @TempDir
    static Path tmp;
    static String url;

    @BeforeAll
    static void study() {
        url = "sqlite:///" + tmp.resolve("p.db");
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            ServiceFixture.study(store, "plotted", 40, 2);
        }
    }

    @Test
    void everyKindWritesAnImage() throws Exception {
        for (PlotKind kind : PlotKind.values()) {
            Path out = tmp.resolve(kind.wireName() + ".png");
            CliRun r = CliRun.of("plot", "--storage", url, "--study-name", "plotted", "--kind", kind.wireName(),
                    "--out", out.toString());
            assertEquals(0, r.exitCode(), r.err());
            BufferedImage img = ImageIO.read(out.toFile());
            assertEquals(800, img.getWidth(), kind.wireName());
        }
        Path svg = tmp.resolve("contour.svg");
        CliRun r = CliRun.of("plot", "--storage", url, "--study-name", "plotted", "--kind", "contour", "--params",
                "x,lr", "--out", svg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(svg).startsWith("<svg") || Files.readString(svg).contains("<svg"));
    }

    @Test
    void badInputIsOneErrorLine() {
        String[][] cases = {
            {"--kind", "histogram", "--out", tmp.resolve("a.png").toString()},
            {"--kind", "slice", "--params", "nope", "--out", tmp.resolve("b.png").toString()},
            {"--kind", "contour", "--params", "x", "--out", tmp.resolve("c.png").toString()},
            {"--kind", "history", "--out", tmp.resolve("d.jpg").toString()},
            {"--kind", "history", "--objective", "1", "--out", tmp.resolve("e.png").toString()},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 5];
            args[0] = "plot";
            args[1] = "--storage";
            args[2] = url;
            args[3] = "--study-name";
            args[4] = "plotted";
            System.arraycopy(c, 0, args, 5, c.length);
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().startsWith("Error: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
