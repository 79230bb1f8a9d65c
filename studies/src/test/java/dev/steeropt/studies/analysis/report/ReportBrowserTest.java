package dev.steeropt.studies.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.studies.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code analyze report --preset quick} on the embedded pair, opened from disk in headless Debian Chromium: every
 * image has loaded (complete, with a decoded width), every image is a {@code data:} URI (nothing fetched, so it opens
 * offline), and the page names each analysis. Skips, saying why, when chromium or chromedriver is missing
 * ({@code .ci/run} installs both). A second test feeds the same check a page with a broken image, so the check can fail.
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private static void requireBrowser() {
        boolean ok = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!ok) {
            System.err.println("SKIPPED ReportBrowserTest: " + CHROMIUM + " or " + DRIVER + " is missing;"
                    + " apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(ok, "no headless browser: " + CHROMIUM + " or " + DRIVER + " is missing;"
                + " apt-get install -y chromium chromium-driver (.ci/run does)");
    }

    /** Per image: [src prefix, complete, naturalWidth]. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> images(Path html) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, o);
        try {
            driver.get(html.toUri().toString());
            ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "Promise.all([...document.images].map(i => i.decode().catch(() => null))).then(() => done(null));");
            return (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeScript("return [...document.images].map(i =>"
                    + " ({src: i.getAttribute('src').slice(0, 22), complete: i.complete, width: i.naturalWidth,"
                    + " alt: i.alt}));");
        } finally {
            driver.quit();
        }
    }

    private static List<String> broken(List<Map<String, Object>> imgs) {
        return imgs.stream().filter(i -> !Boolean.TRUE.equals(i.get("complete")) || ((Number) i.get("width")).intValue() == 0)
                .map(i -> String.valueOf(i.get("alt"))).toList();
    }

    @Test
    void quickReportOfTheEmbeddedPairOpensWithEveryImage(@TempDir Path dir) throws Exception {
        requireBrowser();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "analyze", "report", "--preset", "quick",
                "--versus", "demo-careful", "--out", dir.toString());
        System.err.printf("analyze report --preset quick on the embedded pair: %.1f s wall%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, code, out + "\n" + err);
        Path html = dir.resolve("report.html");
        String page = Files.readString(html);
        for (String section : List.of("Probes", "Logit lens", "CKA", "Token-count variability", "Directions")) {
            assertTrue(page.contains(section), "report names " + section);
        }
        assertFalse(page.contains("<script"), "no script");
        assertFalse(page.contains("src=\"http"), "nothing fetched");
        List<Map<String, Object>> imgs = images(html);
        assertTrue(imgs.size() >= 10, "the summary and each analysis's plots: " + imgs.size());
        for (Map<String, Object> i : imgs) {
            assertEquals("data:image/png;base64,", i.get("src"), "embedded: " + i.get("alt"));
        }
        assertEquals(List.of(), broken(imgs), "every image decoded");
        assertTrue(Files.size(dir.resolve("summary.png")) > 0);
    }

    @Test
    void theImageCheckSeesABrokenImage(@TempDir Path dir) throws Exception {
        requireBrowser();
        Path html = dir.resolve("broken.html");
        Files.writeString(html, "<!DOCTYPE html><html><body><img alt=\"ok\" src=\"data:image/png;base64,"
                + java.util.Base64.getEncoder().encodeToString(dev.steeropt.studies.plots.ChartFile.png(
                        dev.steeropt.studies.plots.Charts.line("t", "x", "y", List.of()), 50, 40))
                + "\"><img alt=\"bad\" src=\"data:image/png;base64,AAAA\"></body></html>");
        assertEquals(List.of("bad"), broken(images(html)));
    }
}
