package dev.steeropt.studies.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.artifacts.Artifacts;
import dev.steeropt.studies.cli.CliRun;
import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.manager.StudyManager;
import dev.steeropt.studies.pipeline.OptimizeRuns;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium over a study that a real {@code optimize --mode debug} run wrote (the tiny
 * fixture model, 6 trials): the history plot holds one point per COMPLETE trial, the trial table one row per trial,
 * the test evaluation and the artifact plots appear, a trial added meanwhile arrives by polling, the page logs no
 * script error; screenshots go to {@code target/}. Skips, saying why, where Chromium or chromedriver is missing.
 */
class DashboardBrowserTest {
    static final int TRIALS = 6;

    @TempDir
    static Path tmp;
    static Path[] browser;
    static String url;
    static long studyId;
    static JdbcTrialStore store;
    static StudyServer server;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        StringBuilder why = new StringBuilder();
        Optional<Path[]> found = Browser.find(why);
        if (found.isEmpty()) {
            System.err.println("SKIPPED DashboardBrowserTest: " + why);
            Assumptions.abort("DashboardBrowserTest: " + why);
        }
        browser = found.get();
        Path data = OptimizeRuns.writeData(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        url = "sqlite:///" + out.resolve("study.db");
        CliRun run = CliRun.of(OptimizeRuns.args(data, url, out, "browser", TRIALS, 4).toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        store = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false));
        studyId = store.getStudyId("browser");
        server = StudyServer.start(store, new ServerOptions("127.0.0.1", 0, Optional.empty(), true),
                ObjectiveImportance.defaults());
        driver = Browser.start(browser, Files.createDirectories(tmp.resolve("profile")), 1400, 3200);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static String marker(String attr) {
        return driver.findElement(By.id("render-marker")).getDomAttribute("data-" + attr);
    }

    private static void awaitRendered(String view) {
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> view.equals(
                ((JavascriptExecutor) d).executeScript("return document.body.dataset.rendered")));
    }

    @Test
    void theStudyPageDrawsTheHistoryAndTableOfTheOptimizeRun() throws Exception {
        List<FrozenTrial> trials = store.getAllTrials(studyId, null);
        assertTrue(trials.size() >= TRIALS, "optimize ran its trials (plus the enqueued reference): " + trials.size());
        long complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
        assertTrue(complete >= 1);

        driver.get(server.baseUrl() + "/");
        awaitRendered("studies");
        int studies = store.getAllStudies().size(); // the other test may have added one
        assertEquals(String.valueOf(studies), marker("studies"));
        assertEquals(studies, driver.findElements(By.cssSelector("#study-table tbody tr")).size());
        Files.write(screenshotPath("dashboard-studies.png"), driver.getScreenshotAs(OutputType.BYTES));

        // a fresh load of the study's address (the head's early requests), not a hash change inside the study list
        driver.get("about:blank");
        driver.get(server.baseUrl() + "/#/studies/" + studyId);
        awaitRendered("study");
        assertEquals(String.valueOf(complete), marker("history-points"));
        assertEquals(String.valueOf(trials.size()), marker("table-rows"));
        assertEquals(String.valueOf(trials.size()), marker("table-total"));
        List<WebElement> rows = driver.findElements(By.cssSelector("#trial-table tbody tr"));
        assertEquals(trials.size(), rows.size());
        assertEquals("0", rows.get(0).getDomAttribute("data-number"));
        assertTrue(driver.findElement(By.cssSelector("#history-0 canvas")).isDisplayed());
        // the rendered chart holds the stored values, not just the right count
        Object first = driver.executeScript("return echarts.getInstanceByDom(document.getElementById('history-0'))"
                + ".getOption().series[0].data[0][1]");
        double firstValue = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).findFirst().orElseThrow()
                .value();
        assertEquals(firstValue, ((Number) first).doubleValue(), 1e-12);

        // test evaluation with its McNemar p, as recorded by optimize
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("test-table")).isEmpty());
        @SuppressWarnings("unchecked")
        Map<String, Object> te = (Map<String, Object>) store.getStudySystemAttrs(studyId).get(StudyManager.TEST_ATTR);
        assertTrue(driver.findElements(By.cssSelector("#test-table tbody tr")).size() >= 2);
        assertTrue(driver.findElement(By.id("mcnemar-p")).getText().length() > 0);
        assertTrue(te.containsKey("mcnemar"));
        // the intermediate values: one line per trial that reported
        long reported = trials.stream().filter(t -> !t.intermediateValues().isEmpty()).count();
        assertTrue(reported > 0, "optimize reports after each validation chunk");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Long.valueOf(reported).equals(
                ((JavascriptExecutor) d).executeScript("const c = echarts.getInstanceByDom(document.getElementById("
                        + "'intermediate')); return c ? c.getOption().series.length : -1;")));
        // the artifact plots optimize wrote are shown
        assertTrue(store.getStudySystemAttrs(studyId).containsKey(Artifacts.DIR_ATTR));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                .executeScript("const i = document.querySelector('#artifacts img[alt=\"plots/history.png\"]');"
                        + " return !!i && i.complete && i.naturalWidth > 0;")));
        Files.write(screenshotPath("dashboard-study.png"), driver.getScreenshotAs(OutputType.BYTES));

        // live update: a trial another process adds shows up without a reload
        try (JdbcTrialStore writer = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false))) {
            FrozenTrial t = trials.get(trials.size() - 1);
            writer.createTrial(studyId, new FrozenTrial(0, 0, TrialState.COMPLETE, List.of(0.5), Instant.now(),
                    Instant.now(), t.params(), t.distributions(), Map.of(), Map.of(), null));
        }
        String expected = String.valueOf(trials.size() + 1);
        // (the page redraws these elements on each update, so they are read by script, not held)
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> expected.equals(((JavascriptExecutor) d)
                .executeScript("return document.getElementById('kpi-trials').textContent")));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Long.valueOf(trials.size() + 1).equals(
                ((JavascriptExecutor) d).executeScript("return document.querySelectorAll('#trial-table tbody tr')"
                        + ".length")));

        // a RUNNING trial comes back on every poll; the page redraws once for it, then not again until it changes
        long running;
        try (JdbcTrialStore writer = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false))) {
            FrozenTrial t = trials.get(trials.size() - 1);
            running = writer.createTrial(studyId, new FrozenTrial(0, 0, TrialState.RUNNING, null, Instant.now(), null,
                    t.params(), t.distributions(), Map.of(), Map.of(), null));
        }
        String withRunning = String.valueOf(trials.size() + 2);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> withRunning.equals(((JavascriptExecutor) d)
                .executeScript("return document.getElementById('kpi-trials').textContent")));
        Object redraws = driver.executeScript("return document.getElementById('render-marker').dataset.redraws");
        Thread.sleep(9_000); // two more polls (every 4 s) that bring the same running trial
        assertEquals(redraws, driver.executeScript("return document.getElementById('render-marker').dataset.redraws"),
                "no redraw while nothing changed");
        try (JdbcTrialStore writer = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false))) {
            writer.setTrialIntermediateValue(running, 0, 0.25);
        }
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !redraws.equals(((JavascriptExecutor) d)
                .executeScript("return document.getElementById('render-marker').dataset.redraws")));

        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(errors.isEmpty(), "script errors: " + errors);
    }

    @Test
    void aMultiObjectiveStudyShowsAHistoryPerObjectiveAndItsParetoFront() throws Exception {
        long id;
        try (JdbcTrialStore writer = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false))) {
            id = ServiceFixture.twoObjectives(writer, "accuracy-vs-tokens", new double[][] {
                {0.5, 100}, {0.6, 120}, {0.4, 90}, {0.55, 130}, {0.6, 110}, {0.3, 95}});
        }
        driver.get(server.baseUrl() + "/#/studies/" + id);
        awaitRendered("study");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d)
                .executeScript("const e = document.getElementById('pareto'); return !!echarts.getInstanceByDom(e);")));
        Object front = driver.executeScript("return echarts.getInstanceByDom(document.getElementById('pareto'))"
                + ".getOption().series.find(s => s.name === 'Pareto front').data.map(p => p[2])");
        assertEquals(List.of(2L, 0L, 4L), front, "trials 0, 2 and 4 are non-dominated, in order of accuracy");
        for (int k = 0; k < 2; k++) {
            Object n = driver.executeScript("return echarts.getInstanceByDom(document.getElementById('history-" + k
                    + "')).getOption().series[0].data.length");
            assertEquals(6L, n, "history of objective " + k);
        }
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Long.valueOf(2).equals(((JavascriptExecutor) d)
                .executeScript("const c = echarts.getInstanceByDom(document.getElementById('importance'));"
                        + " return c ? c.getOption().series.length : -1;")));
        Files.write(screenshotPath("dashboard-multi-objective.png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    static Path screenshotPath(String name) throws Exception {
        return Files.createDirectories(Path.of("target")).resolve(name);
    }
}
