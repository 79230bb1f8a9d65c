package dev.steeropt.studies.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven through its chromedriver (both from apt: {@code chromium chromium-driver}); never
 * a downloaded browser. {@link #find} says why when either is missing, for the tests to skip with that reason.
 */
final class Browser {
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private Browser() {}

    /** The browser and driver paths, or empty with {@code why} filled. */
    static Optional<Path[]> find(StringBuilder why) {
        Optional<Path> browser = BROWSERS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        Optional<Path> driver = DRIVERS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        if (browser.isEmpty() || driver.isEmpty()) {
            why.append("no headless browser: ").append(browser.isEmpty() ? "chromium not found at " + BROWSERS : "")
                    .append(driver.isEmpty() ? " chromedriver not found at " + DRIVERS : "")
                    .append(" (install with 'apt-get install -y chromium chromium-driver'; .ci/run tries)");
            return Optional.empty();
        }
        return Optional.of(new Path[] {browser.get(), driver.get()});
    }

    /** A new headless session with an empty profile in {@code profile}, the window {@code width} x {@code height}. */
    static ChromeDriver start(Path[] paths, Path profile, int width, int height) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(paths[0].toString());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(paths[1].toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }
}
