package org.ttmsim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttmsim.report.MatrixHtmlFixture.DESIGNS;
import static org.ttmsim.report.MatrixHtmlFixture.MODES;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in a real browser: headless chromium loads the page with the
 * {@code #select=SCENARIO|DESIGN|MODE} hook (which dispatches a real click on that cell), runs its
 * script, and dumps the DOM, whose {@code #detail} panel must then show the run.
 *
 * <p>Skipped when no chromium is found (on PATH as {@code chromium}, {@code chromium-browser},
 * {@code google-chrome}, or named by {@code -Dttmsim.chromium=PATH}); CI installs it with
 * {@code .ci/install-chromium.sh}. The check is an assumption in {@code @BeforeEach}, so each test shows in
 * the surefire report as skipped with the reason (an assumption in {@code @BeforeAll} would abort the class
 * and report "Tests run: 0"). With {@code -Dttmsim.html.screenshot=FILE.png} it also saves a screenshot of
 * the selected failing cell (not asserted).
 */
class MatrixHtmlBrowserIT {
    private static final long TIMEOUT_S = 120;
    private static final Pattern DETAIL = Pattern.compile("<aside id=\"detail\".*?</aside>", Pattern.DOTALL);

    @TempDir
    static Path dir;
    private static Path chromium;
    private static Path page;

    @BeforeAll
    static void writePage() throws IOException {
        chromium = findChromium().orElse(null);
        page = dir.resolve("matrix.html");
        Files.writeString(page, MatrixHtml.render(MatrixHtmlFixture.results(), new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES)),
                StandardCharsets.UTF_8);
    }

    @BeforeEach
    void needChromium() {
        Assumptions.assumeTrue(chromium != null, "no chromium binary found (PATH: chromium, chromium-browser,"
                + " google-chrome; or -Dttmsim.chromium=PATH); install it with .ci/install-chromium.sh");
    }

    @Test
    void shouldShowViolationsAndStepsOfTheFailingCellWhenItIsClicked() throws Exception {
        final String dom = dumpDom(select(MatrixHtmlFixture.SCENARIO, "pre-2019", "sev"));
        final String detail = detail(dom);

        assertThat(dom).containsPattern("<td class=\"cell unmet selected\"[^>]*data-index=\"2\"");
        assertThat(detail)
                .contains("<h2 class=\"scenario-name\">" + MatrixHtmlFixture.SCENARIO + "</h2>")
                .contains("<code class=\"design\">pre-2019</code>").contains("<code class=\"mode\">sev</code>")
                .contains("<span class=\"verdict fail\">fail</span>")
                .contains("<li>step 5: result ok, expected ENOMEM</li>")
                .contains("data-invariant=\"cpu-garbage\"")
                .contains("<div class=\"message\">" + MatrixHtmlFixture.GARBAGE_MESSAGE + "</div>");
        for (final String e : MatrixHtmlFixture.EVIDENCE) {
            assertThat(detail).contains("<li>" + e + "</li>");
        }
        assertThat(detail)
                .containsPattern("<tr class=\"unmet violated\" id=\"step-4\" data-step=\"4\">"
                        + "<td class=\"index\">4</td><td class=\"op mono\">cpu-read</td>")
                .contains("0000  9c 41 00 e3 7f 20 31").contains("|.A... 1|")
                .contains("<td class=\"held held-no\">DID NOT HOLD</td>")
                .contains("<td class=\"expected mono\">ENOMEM</td>")
                .containsPattern("<div class=\"frame kind-ram state-private\" data-pfn=\"0x1200\">")
                .containsPattern("<div class=\"frame kind-vram state-shared\" data-pfn=\"0x80000\">")
                .contains("<li>p1:a WB C=1</li>").contains("owner: (none)")
                .contains("data-counter=\"faults\"")
                .contains("Event trace (" + MatrixHtmlFixture.TRACE_EVENTS + " events)");
        assertThat(count(detail, "<li class=\"evidence\"")).isEqualTo(MatrixHtmlFixture.EVIDENCE.size());
    }

    @Test
    void shouldFilterTheTraceByComponentPrefix() throws Exception {
        final String detail = detail(dumpDom(select(MatrixHtmlFixture.SCENARIO, "pre-2019", "sev") + "&trace=mm%20cpa"));

        // cpa: 1 event; mm: the prefault's 16 pte-inserts, folded in one line
        assertThat(detail).contains("showing 17 of " + MatrixHtmlFixture.TRACE_EVENTS)
                .containsPattern("<li data-component=\"cpa\" data-step=\"2\" value=\"3\">\\[step 2\\] cpa conversion")
                .containsPattern("<li class=\"evidence\" data-component=\"mm\" data-step=\"3\">")
                .containsPattern("<li class=\"evidence\" data-component=\"dma\" data-step=\"2\" value=\"2\""
                        + " hidden=\"\">");
        assertThat(count(detail, "hidden=\"\"")).isEqualTo(4);
    }

    @Test
    void shouldShowTheErrorWhenTheRunCouldNotComplete() throws Exception {
        final String detail = detail(dumpDom(select(MatrixHtmlFixture.SCENARIO, "upstream-2024", "sev")));

        assertThat(detail).contains("<span class=\"verdict error\">error</span>")
                .contains("error: model bug: no backing for A at step 2")
                .contains("<code class=\"cell-text\">E</code>");
    }

    @Test
    void shouldRunNoMarkupFromScenarioNamesOrMessages() throws Exception {
        final String dom = dumpDom(select(MatrixHtmlFixture.HOSTILE_SCENARIO, "pre-2019", "sev"));
        final String detail = detail(dom);

        assertThat(dom).doesNotContainPattern("<body[^>]*data-pwned").doesNotContain("<img").doesNotContain("<b>")
                .doesNotContain("<i>");
        assertThat(detail).contains("data-invariant=\"host-leak\"")
                .contains("&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','m')\"&gt;")
                .contains("<li>&lt;b&gt;bold&lt;/b&gt; &amp; more</li>")
                .contains("&lt;/script&gt;&lt;script&gt;document.body")
                .contains("<p class=\"note\">note: leaks &lt;em onmouseover=");
    }

    @Test
    void shouldRenderTheSummaryTableFirstWithTheCountsOfEachDesignAndMode() throws Exception {
        final String dom = dumpDom("");
        final String main = dom.substring(dom.indexOf("<main id=\"matrix\">"), dom.indexOf("</main>"));

        assertThat(main.indexOf("<table")).as("the summary is the first table")
                .isEqualTo(main.indexOf("<table class=\"matrix summary\" id=\"summary-table\">"));
        assertThat(main.indexOf("id=\"summary-table\"")).isLessThan(main.indexOf("<section class=\"scenario\""));
        assertThat(summaryCells(main)).containsExactly(
                "pre-2019 v6.9|none|.", "pre-2019 v6.9|sev|2: GL !1",
                "upstream-2024 v6.9|none|.", "upstream-2024 v6.9|sev|E1");
        assertThat(dom).contains("8 runs: 6 pass, 1 fail, 1 error, 0 not applicable").contains("data-exit=\"3\"");
    }

    @Test
    void shouldOpenTheFirstRunWorthReadingWhenASummaryCellIsClicked() throws Exception {
        final String dom = dumpDom("#summary=" + encode("pre-2019 v6.9") + "|sev");

        assertThat(dom).containsPattern("<td class=\"cell unmet selected\"[^>]*data-index=\"2\"");
        assertThat(detail(dom)).contains("<code class=\"design\">pre-2019</code>")
                .contains("<code class=\"kernel\">v6.9</code>").contains("<code class=\"mode\">sev</code>");
    }

    @Test
    void shouldFoldConsecutiveEventsOfOneKindAndExpandThemOnClick() throws Exception {
        final String fold = "<li class=\"group has-evidence\" data-component=\"mm\" data-step=\"3\" data-count=\"16\""
                + " value=\"4\"><details class=\"run\"%s><summary>[step 3] 16 \u00d7 mm pte-insert pfn=0x1200..0x120f"
                + "</summary><ol class=\"run-lines\" start=\"4\"><li class=\"evidence\" data-component=\"mm\""
                + " data-step=\"3\">[step 3] mm pte-insert pfn=0x1200: ";
        final String folded = detail(dumpDom(select(MatrixHtmlFixture.SCENARIO, "pre-2019", "sev")));

        assertThat(folded).contains(String.format(fold, "")).doesNotContain("<details class=\"run\" open");
        assertThat(count(folded, "<li data-component=\"mm\" data-step=\"3\">[step 3] mm pte-insert")).isEqualTo(15);
        // the lines after the fold keep their event numbers
        assertThat(folded).containsPattern("<li class=\"evidence\" data-component=\"cpu\" data-step=\"4\""
                + " value=\"20\">\\[step 4\\] cpu cpu-read");

        final String expanded = detail(dumpDom(select(MatrixHtmlFixture.SCENARIO, "pre-2019", "sev") + "&expand=1"));

        assertThat(expanded).contains(String.format(fold, " open=\"\""));
    }

    /** "row|mode|text" of each summary cell, in page order. */
    private static List<String> summaryCells(final String html) {
        final Matcher m = Pattern.compile("<td class=\"sum [a-z]+\"[^>]*data-row=\"([^\"]*)\" data-mode=\"([^\"]*)\""
                + "[^>]*>([^<]*)</td>").matcher(html);
        final List<String> cells = new ArrayList<>();
        while (m.find()) {
            cells.add(m.group(1) + "|" + m.group(2) + "|" + m.group(3));
        }
        return cells;
    }

    private static String select(final String scenario, final String design, final String mode) {
        return "#select=" + encode(scenario) + "|" + encode(design) + "|" + encode(mode);
    }

    private static String encode(final String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String detail(final String dom) {
        final Matcher m = DETAIL.matcher(dom);
        assertThat(m.find()).as("#detail in the dumped DOM").isTrue();
        return m.group();
    }

    private static int count(final String haystack, final String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    /** Loads the page at {@code fragment} in headless chromium and returns the DOM after its script ran. */
    private static String dumpDom(final String fragment) throws Exception {
        final Path out = Files.createTempFile(dir, "dom", ".html");
        final Path err = Files.createTempFile(dir, "chromium", ".log");
        final List<String> cmd = chromiumCommand();
        cmd.add("--dump-dom");
        cmd.add(page.toUri() + fragment);
        run(cmd, out, err);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static List<String> chromiumCommand() throws IOException {
        final List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"), "--virtual-time-budget=5000"));
        return cmd;
    }

    private static void run(final List<String> cmd, final Path out, final Path err) throws Exception {
        final Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + TIMEOUT_S + " s: " + cmd);
        }
        assertThat(p.exitValue()).as("chromium exit status; log:%n%s", Files.readString(err)).isZero();
    }

    @Test
    void shouldSaveAScreenshotWhenAsked() throws Exception {
        final String target = System.getProperty("ttmsim.html.screenshot");
        Assumptions.assumeTrue(target != null, "no -Dttmsim.html.screenshot=FILE.png");
        final List<String> cmd = chromiumCommand();
        cmd.add("--hide-scrollbars");
        cmd.add("--window-size=1400,900");
        cmd.add("--screenshot=" + Path.of(target).toAbsolutePath());
        cmd.add(page.toUri() + select(MatrixHtmlFixture.SCENARIO, "pre-2019", "sev"));
        run(cmd, dir.resolve("screenshot.out"), dir.resolve("screenshot.log"));
        assertThat(Path.of(target)).isNotEmptyFile();
    }

    private static Optional<Path> findChromium() {
        final String given = System.getProperty("ttmsim.chromium");
        if (given != null) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        final String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .flatMap(d -> Stream.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                        .map(name -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
