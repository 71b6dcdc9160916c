package io.statecast.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real headless browser for tests of pages: Debian's {@code chromium} driven by its {@code chromedriver}
 * through Selenium, with a fresh empty profile and no background networking (the machine has no network
 * but the package registries; without these flags chromium floods it). When chromium cannot start, the
 * test is skipped (a JUnit assumption) and the reason logged; every other failure fails the test.
 *
 * <p>Selenium is an optional dependency of testkit: a module whose tests use this class declares
 * {@code org.seleniumhq.selenium:selenium-java} itself (test scope).
 *
 * <pre>{@code
 * try (HeadlessChromium chromium = HeadlessChromium.start()) {
 *     chromium.driver().get(url);
 *     assertEquals(List.of(), chromium.errors());
 * }
 * }</pre>
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadlessChromium.class);
    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Starts chromium ({@code STATECAST_CHROMIUM}, default {@code /usr/bin/chromium}) through chromedriver
     * ({@code STATECAST_CHROMEDRIVER}, default {@code /usr/bin/chromedriver}); skips the test when it cannot.
     */
    public static HeadlessChromium start() {
        String binary = env("STATECAST_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = env("STATECAST_CHROMEDRIVER", "/usr/bin/chromedriver");
        skipUnless(new File(binary).canExecute(), "no chromium at " + binary + " (apt-get install chromium)");
        skipUnless(
                new File(chromedriver).canExecute(),
                "no chromedriver at " + chromedriver + " (apt-get install chromium-driver)");
        Path profile = tempProfile();
        ChromeOptions options = new ChromeOptions().setBinary(binary).addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // An explicit driver executable: Selenium never runs its manager (which would download one).
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new HeadlessChromium(driver, profile);
        } catch (WebDriverException e) {
            Dirs.deleteRecursively(profile);
            skipUnless(
                    false,
                    "chromium did not start: "
                            + e.getMessage().lines().findFirst().orElse(""));
            throw e; // not reached
        }
    }

    /** The browser. */
    public WebDriver driver() {
        return driver;
    }

    /** The page's JavaScript errors and failed loads so far (console messages of level SEVERE). */
    public List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Runs {@code script} in the page and returns its result. */
    public Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            Dirs.deleteRecursively(profile);
        }
    }

    private static void skipUnless(boolean ok, String why) {
        if (!ok) {
            log.warn("Skipping a browser test: {}", why);
        }
        Assumptions.assumeTrue(ok, why);
    }

    private static Path tempProfile() {
        try {
            return Files.createTempDirectory("statecast-chromium-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
