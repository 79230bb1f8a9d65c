package dev.steeropt.studies.service;

import dev.steeropt.studies.importance.ObjectiveImportance;
import dev.steeropt.studies.store.StoreOptions;
import dev.steeropt.studies.store.TrialStores;
import dev.steeropt.studies.store.jdbc.JdbcTrialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The service on a big study, side by side in one run (a test-scope main: {@code studies/tools/bench-service.sh}):
 * the trials API's first page (cold: the first request after the server opened the database; then warm), beside
 * the full trial list, the plot columns and the study list; and the dashboard's study page in headless Chromium,
 * from navigation to the render marker (history plot and first table page drawn), first load and reloads. Prints
 * the load average before and after.
 *
 * <p>Arguments: {@code [trials (default 10000)] [work dir (default a temp dir)]}; an existing database there with
 * the study is reused.
 */
public final class ServiceBenchmark {
    private ServiceBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = args.length > 1 ? Files.createDirectories(Path.of(args[1])) : Files.createTempDirectory("svc-bench");
        String url = "sqlite:///" + dir.resolve("bench.db").toAbsolutePath();
        String name = "bench-" + n;
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        try (JdbcTrialStore writer = TrialStores.open(url, StoreOptions.DEFAULTS)) {
            if (writer.findStudyId(name).isEmpty()) {
                long t0 = System.nanoTime();
                ServiceFixture.study(writer, name, n, 42);
                System.out.printf(Locale.ROOT, "wrote %d trials (4 params, 3 intermediate values each) in %.1f s%n", n,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        long s0 = System.nanoTime();
        try (JdbcTrialStore store = TrialStores.open(url, StoreOptions.DEFAULTS.createIfMissing(false));
                StudyServer server = StudyServer.start(store, new ServerOptions("127.0.0.1", 0, Optional.empty(), true),
                        ObjectiveImportance.defaults())) {
            double start = (System.nanoTime() - s0) / 1e6;
            long id = store.getStudyId(name);
            Http http = new Http(server.baseUrl());
            String base = "/api/studies/" + id;
            System.out.printf(Locale.ROOT, "%n%d-trial study, REST (ms; warm = median of the repeats):%n", n);
            System.out.printf(Locale.ROOT, "  server start (opens the database, reads every trial) %8.1f%n", start);
            double cold = timeMs(() -> get(http, base + "/trials?limit=50"));
            System.out.printf(Locale.ROOT, "  trials, first page of 50, first request         %8.1f%n", cold);
            report("trials, first page of 50, warm", http, base + "/trials?limit=50", 20);
            report("trials, first page sorted by value desc", http, base + "/trials?limit=50&sort=value&order=desc",
                    10);
            report("trials, full list (limit=" + n + ")", http, base + "/trials?limit=" + n, 5);
            report("plot_data, all trials (columns)", http, base + "/plot_data", 5);
            report("intermediate_values, all trials", http, base + "/intermediate_values", 5);
            report("plot_data?after=" + (n - 2) + " (a poll)", http, base + "/plot_data?after=" + (n - 2), 20);
            report("study list", http, "/api/studies", 10);
            double imp = timeMs(() -> get(http, base + "/param_importances"));
            System.out.printf(Locale.ROOT, "  param_importances (PED-ANOVA), first request     %8.1f%n", imp);
            report("param_importances, again (cached)", http, base + "/param_importances", 5);

            StringBuilder why = new StringBuilder();
            Optional<Path[]> browser = Browser.find(why);
            if (browser.isEmpty()) {
                System.out.println("dashboard: not measured: " + why);
            } else {
                ChromeDriver driver = Browser.start(browser.get(), Files.createTempDirectory("svc-bench-profile"),
                        1400, 2400);
                try {
                    System.out.printf(Locale.ROOT, "%ndashboard study page, navigation to render marker (history plot"
                            + " + first table page), ms:%n");
                    double[] control = new double[5];
                    for (int i = 0; i < control.length; i++) {
                        driver.get("about:blank");
                        long c0 = System.nanoTime();
                        driver.get(server.baseUrl() + "/assets/app.css");
                        driver.executeScript("return document.readyState");
                        control[i] = (System.nanoTime() - c0) / 1e6;
                    }
                    Arrays.sort(control);
                    System.out.printf(Locale.ROOT, "  control: wall time of loading a 2 KB stylesheet the same way"
                            + " (WebDriver's own cost), median %.0f%n", control[control.length / 2]);
                    List<double[]> runs = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        runs.add(pageLoad(driver, server.baseUrl() + "/#/studies/" + id, i));
                    }
                    System.out.printf(Locale.ROOT, "  first load (empty browser cache): wall %.0f, in page %.0f%n",
                            runs.get(0)[0], runs.get(0)[1]);
                    double[] wall = runs.subList(1, runs.size()).stream().mapToDouble(r -> r[0]).sorted().toArray();
                    double[] page = runs.subList(1, runs.size()).stream().mapToDouble(r -> r[1]).sorted().toArray();
                    System.out.printf(Locale.ROOT, "  reloads (median of %d): wall %.0f, in page %.0f (history points"
                            + " %s, table rows %s)%n", wall.length, wall[wall.length / 2], page[page.length / 2],
                            marker(driver, "historyPoints"), marker(driver, "tableRows"));
                    System.out.println("  last reload's downloads (ms from navigation start to response end): "
                            + driver.executeScript("return performance.getEntriesByType('resource')"
                                    + ".filter(e => e.name.includes('/api/') || e.name.includes('/assets/'))"
                                    + ".map(e => e.name.replace(/^.*\\/(api|assets)\\//, '') + ' '"
                                    + " + Math.round(e.responseEnd)).join(', ')"));
                    Thread.sleep(3000); // the plots drawn after the marker
                    Path shot = Files.createDirectories(Path.of("studies/target")).resolve("dashboard-" + n + ".png");
                    Files.write(shot, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
                    System.out.println("  screenshot: " + shot);
                } finally {
                    driver.quit();
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nload average after: %s (%d cores)%n", loadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Loads the page fresh and waits for the marker: {wall ms from get() to marker seen, page's own ms}. */
    private static double[] pageLoad(ChromeDriver driver, String url, int i) {
        driver.get("about:blank");
        long t0 = System.nanoTime();
        driver.get(url);
        new WebDriverWait(driver, Duration.ofSeconds(120)).pollingEvery(Duration.ofMillis(5)).until(d -> "study".equals(
                ((JavascriptExecutor) d).executeScript("return document.body.dataset.rendered")));
        double wall = (System.nanoTime() - t0) / 1e6;
        return new double[] {wall, Double.parseDouble(marker(driver, "sinceNavigationMs"))};
    }

    private static String marker(ChromeDriver driver, String key) {
        return String.valueOf(driver.executeScript("return document.getElementById('render-marker').dataset." + key));
    }

    private static void report(String what, Http http, String path, int repeats) throws Exception {
        double[] t = new double[repeats];
        int bytes = get(http, path);
        for (int i = 0; i < repeats; i++) {
            t[i] = timeMs(() -> get(http, path));
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "  %-48s %8.1f   (%,d bytes)%n", what, t[repeats / 2], bytes);
    }

    private static int get(Http http, String path) {
        try {
            Http.Reply r = http.get(path);
            if (r.status() != 200) {
                throw new IllegalStateException(path + " answered " + r.status() + ": " + r.body());
            }
            return r.body().length();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double timeMs(Supplier<Integer> call) {
        long t0 = System.nanoTime();
        call.get();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
