package org.ttmsim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ttmsim.check.Invariant;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;

/**
 * The HTML report of a matrix run ({@code ttmsim matrix --html FILE}): one self-contained page. First the
 * verdict summary of {@link MatrixSummary}, then one table per scenario laid out as the terminal's
 * ({@link MatrixTable}: a row per (design, kernel), a column per mode), beside a sticky detail panel that
 * shows the run of the cell clicked.
 *
 * <p>The page opens offline: its CSS and script are inlined from {@code report/matrix.css} and
 * {@code report/matrix.js}, and the results are embedded as one JSON array built by
 * {@link ResultJson#toNode} (plus each run's cell text, trace and frames). The matrix itself is static
 * HTML, so it reads without the script; the script renders a cell's run into {@code #detail} on click.
 *
 * <p>Stable hooks for tests and scripts: every cell is
 * {@code <td class="cell ..." data-scenario data-design data-kernel data-mode data-verdict data-index>};
 * every summary cell is {@code <td class="sum ..." data-row data-mode data-broken data-failed data-errors
 * data-na data-first>} in {@code <table id="summary-table">}, the first table of the page; the totals are
 * {@code <div class="totals" data-pass data-fail data-errors data-na data-exit>}; a cell an
 * {@code expect.cases} entry covers carries its note as {@code data-note} (and in its tooltip, and the panel
 * shows it); the panel is
 * {@code id="detail"}; and a URL hash {@code #select=SCENARIO|DESIGN|MODE} clicks that cell on load (see
 * the script's header for the other hooks).
 *
 * <p>Deterministic: no clock, no hash-ordered maps; the same results give the same bytes. The page is
 * pure ASCII (other characters are written as HTML character references or JSON {@code \\u} escapes),
 * so it is correct whatever charset the caller writes it with.
 */
public final class MatrixHtml {
    private static final String CSS = resource("report/matrix.css");
    private static final String SCRIPT = resource("report/matrix.js");
    private static final ObjectWriter JSON = ResultJson.mapper().writer()
            .with(JsonWriteFeature.ESCAPE_NON_ASCII);

    /** Cell colour classes: green, red, amber (a failed run or an error). */
    static final String OK = "ok";
    static final String BROKE = "broke";
    static final String UNMET = "unmet";
    /** A cell the kernel cannot boot (verdict n/a). */
    static final String NA = "na";

    private MatrixHtml() {
    }

    /**
     * Renders the page.
     *
     * @param results the runs in matrix order, as {@code Matrix} returns them: scenario, then mode, then
     *                design and kernel, so each scenario fills {@code axes.cellsPerScenario()} consecutive
     *                results
     * @param axes    the columns (a (design, kernel) pair each) and the rows (modes)
     * @return the whole HTML document
     * @throws IllegalArgumentException when the results do not follow that order
     */
    public static String render(final List<RunResult> results, final Matrix.Axes axes) {
        final List<String> designs = axes.rowKeys();
        final List<String> modes = axes.modes();
        checkOrder(results, axes);
        final StringBuilder sb = new StringBuilder(64 * 1024);
        head(sb, results);
        sb.append("<div class=\"layout\">\n<main id=\"matrix\">\n");
        summary(sb, MatrixSummary.of(results, axes));
        final int cellsPerScenario = designs.size() * modes.size();
        for (int s = 0; s < results.size(); s += cellsPerScenario) {
            scenarioBlock(sb, results, s, designs.size(), modes);
        }
        if (results.isEmpty()) {
            sb.append("<p class=\"empty\">No runs.</p>\n");
        }
        sb.append("</main>\n<aside id=\"detail\" aria-live=\"polite\">\n")
                .append("<p class=\"hint\">Click a cell to see its run: steps, violations with their chain of")
                .append(" events, frames, costs and trace.</p>\n</aside>\n</div>\n");
        sb.append("<script type=\"application/json\" id=\"results\">\n").append(dataJson(results))
                .append("\n</script>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** Each scenario's block holds every (mode, design) in row-major order: what the table walks. */
    private static void checkOrder(final List<RunResult> results, final Matrix.Axes axes) {
        final List<String> designs = axes.rowKeys();
        final List<String> modes = axes.modes();
        final int cellsPerScenario = designs.size() * modes.size();
        if (cellsPerScenario == 0 ? !results.isEmpty() : results.size() % cellsPerScenario != 0) {
            throw new IllegalArgumentException(results.size() + " results do not fill whole blocks of "
                    + designs.size() + " designs x " + modes.size() + " modes");
        }
        for (int i = 0; i < results.size(); i++) {
            final RunResult r = results.get(i);
            final int inBlock = i % cellsPerScenario;
            final String design = designs.get(inBlock % designs.size());
            final String mode = modes.get(inBlock / designs.size());
            final String scenario = results.get(i - inBlock).scenario();
            if (!design.equals(axes.rowKey(r)) || !mode.equals(r.mode()) || !scenario.equals(r.scenario())) {
                throw new IllegalArgumentException("result " + i + " is (" + r.scenario() + ", " + r.design()
                        + ", " + r.mode() + "), expected (" + scenario + ", " + design + ", " + mode + ")");
            }
        }
    }

    private static void head(final StringBuilder sb, final List<RunResult> results) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>ttmsim matrix</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<header class=\"top\">\n<h1>ttmsim matrix</h1>\n");
        totals(sb, MatrixTotals.of(results));
        legend(sb);
        sb.append("</header>\n");
    }

    /** The totals line: the same partition of the runs that the matrix's exit status is computed from. */
    private static void totals(final StringBuilder sb, final MatrixTotals t) {
        sb.append("<div class=\"totals\" data-pass=\"").append(t.pass()).append("\" data-fail=\"").append(t.fail())
                .append("\" data-errors=\"").append(t.errors())
                .append("\" data-na=\"").append(t.notApplicable()).append("\" data-exit=\"").append(t.exitStatus())
                .append("\">").append(escape(t.text())).append(" <span class=\"exit\">").append(escape(t.exitText()))
                .append("</span></div>\n");
    }

    /**
     * The summary table: a row per (design, kernel), a column per mode; a click on a cell opens the first
     * run worth reading there (the script follows {@code data-first}).
     */
    private static void summary(final StringBuilder sb, final MatrixSummary summary) {
        if (summary.rows().isEmpty() || summary.scenarios() == 0) {
            return;
        }
        final int n = summary.scenarios();
        sb.append("<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n<p class=\"file\">")
                .append("How many of the ").append(n).append(n == 1 ? " scenario" : " scenarios")
                .append(" broke invariants, per design and kernel (rows) and mode (columns), and which;")
                .append(" click a cell to open its first run worth reading.</p>\n")
                .append("<table class=\"matrix summary\" id=\"summary-table\">\n<thead><tr><th scope=\"col\">")
                .append("design, kernel</th>");
        for (final String m : summary.modes()) {
            sb.append("<th scope=\"col\">").append(escape(m)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (final MatrixSummary.Row row : summary.rows()) {
            sb.append("<tr><th scope=\"row\">").append(escape(row.label())).append("</th>");
            for (int m = 0; m < summary.modes().size(); m++) {
                final MatrixSummary.Cell c = row.cells().get(m);
                sb.append("<td class=\"sum ").append(colour(c)).append("\"")
                        .append(c.first() >= 0 ? " tabindex=\"0\"" : "")
                        .append(" data-row=\"").append(escape(row.label()))
                        .append("\" data-mode=\"").append(escape(summary.modes().get(m)))
                        .append("\" data-broken=\"").append(c.broken())
                        .append("\" data-failed=\"").append(c.failed())
                        .append("\" data-errors=\"").append(c.errors())
                        .append("\" data-na=\"").append(c.notApplicable())
                        .append("\" data-first=\"").append(c.first())
                        .append("\" title=\"").append(escape(tooltip(c))).append("\">")
                        .append(escape(c.text())).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    /** A summary cell's colour: grey when no scenario could boot, amber for errors or failed runs, red, green. */
    static String colour(final MatrixSummary.Cell c) {
        if (c.allNotApplicable()) {
            return NA;
        }
        if (c.errors() > 0 || c.failed() > 0) {
            return UNMET;
        }
        return c.broken() > 0 ? BROKE : OK;
    }

    private static String tooltip(final MatrixSummary.Cell c) {
        if (c.allNotApplicable()) {
            return "the kernel cannot boot this mode";
        }
        final List<String> parts = new ArrayList<>();
        if (c.broken() > 0) {
            parts.add(c.broken() + " broke " + String.join(", ", c.invariants()) + ": "
                    + String.join(", ", c.brokenScenarios()));
        }
        if (c.failed() > 0) {
            parts.add(c.failed() + " failed");
        }
        if (c.errors() > 0) {
            parts.add(c.errors() + " could not complete");
        }
        if (c.notApplicable() > 0) {
            parts.add(c.notApplicable() + " could not boot");
        }
        return parts.isEmpty() ? "nothing broke in " + c.scenarios() + " scenarios" : String.join("; ", parts);
    }

    private static void legend(final StringBuilder sb) {
        sb.append("<div id=\"legend\">\n");
        legendItem(sb, OK, ".", "nothing broke");
        for (final Map.Entry<String, String> e : MatrixTable.LETTERS.entrySet()) {
            legendItem(sb, BROKE, e.getValue(), e.getKey() + ": " + Invariant.fromId(e.getKey()).description());
        }
        legendItem(sb, UNMET, "!", "the run failed: an expectation of the scenario did not hold, or an invariant broke"
                + " that it does not expect");
        legendItem(sb, UNMET, "E", "the run could not complete");
        legendItem(sb, NA, "-", "the kernel cannot boot in that mode (SEV-SNP and TDX guests need v5.19)");
        legendItem(sb, BROKE, "N: GA", "summary: N scenarios broke invariants, these ones; !N, EN, -N count"
                + " failed runs, errors and unbootable runs");
        sb.append("</div>\n");
    }

    private static void legendItem(final StringBuilder sb, final String cls, final String mark, final String text) {
        sb.append("<span class=\"item\"><span class=\"swatch ").append(cls).append("\">").append(escape(mark))
                .append("</span> ").append(escape(text)).append("</span>\n");
    }

    /**
     * One scenario's table, oriented as the terminal's: a row per (design, kernel), labelled with the design
     * and the release it ran on, a column per mode. The results of a block run mode by mode, so the cell of
     * row {@code d} and mode {@code m} is result {@code first + m * rows + d}.
     */
    private static void scenarioBlock(final StringBuilder sb, final List<RunResult> results, final int first,
            final int rows, final List<String> modes) {
        final RunResult r0 = results.get(first);
        sb.append("<section class=\"scenario\" data-scenario=\"").append(escape(r0.scenario())).append("\">\n<h2>")
                .append(escape(r0.scenario())).append("</h2>\n<p class=\"file\">").append(escape(r0.file()))
                .append("</p>\n<table class=\"matrix\">\n<thead><tr><th scope=\"col\">design, kernel</th>");
        for (final String m : modes) {
            sb.append("<th scope=\"col\">").append(escape(m)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int d = 0; d < rows; d++) {
            final RunResult label = results.get(first + d);
            sb.append("<tr><th scope=\"row\">").append(escape(label.design() + " " + label.kernel())).append("</th>");
            for (int m = 0; m < modes.size(); m++) {
                final int index = first + m * rows + d;
                cell(sb, results.get(index), index);
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    private static void cell(final StringBuilder sb, final RunResult r, final int index) {
        sb.append("<td class=\"cell ").append(colour(r)).append("\" tabindex=\"0\" id=\"cell-").append(index)
                .append("\" data-index=\"").append(index)
                .append("\" data-scenario=\"").append(escape(r.scenario()))
                .append("\" data-design=\"").append(escape(r.design()))
                .append("\" data-kernel=\"").append(escape(r.kernel()))
                .append("\" data-mode=\"").append(escape(r.mode()))
                .append("\" data-verdict=\"").append(escape(r.verdict()))
                .append(r.note() != null ? "\" data-note=\"" + escape(r.note()) : "")
                .append("\" title=\"").append(escape(tooltip(r))).append("\">")
                .append(escape(MatrixTable.cellText(r))).append("</td>");
    }

    /** As MatrixTable paints a terminal cell: amber for an error or a failed run, else red or green. */
    static String colour(final RunResult r) {
        if (org.ttmsim.sim.ScenarioRunner.NOT_APPLICABLE.equals(r.verdict())) {
            return NA;
        }
        if (!r.passed()) {
            return UNMET;
        }
        return r.violations().isEmpty() ? OK : BROKE;
    }

    private static String tooltip(final RunResult r) {
        final List<String> parts = new ArrayList<>();
        parts.add(r.verdict());
        parts.addAll(r.violatedIds());
        if (!r.failures().isEmpty()) {
            parts.add(r.failures().size() + " expectation(s) not met");
        }
        return String.join(", ", parts) + (r.note() != null ? " - " + r.note() : "");
    }

    /** The results array, one run a line, safe inside a script element. */
    static String dataJson(final List<RunResult> results) {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n").append(json(node(results.get(i))));
        }
        return scriptSafe(sb.append("\n]").toString());
    }

    /** ResultJson's object plus what only the page needs: the cell text, the trace and the frames. */
    private static ObjectNode node(final RunResult r) {
        final ObjectNode o = ResultJson.toNode(r);
        o.put("cell", MatrixTable.cellText(r));
        final ArrayNode trace = o.putArray("trace");
        if (r.trace() != null) {
            r.trace().forEach(trace::add);
        }
        final ArrayNode frames = o.putArray("frames");
        if (r.frames() != null) {
            for (final RunResult.FrameInfo f : r.frames()) {
                final ObjectNode n = frames.addObject();
                n.put("pfn", f.pfn());
                n.put("pfn_hex", "0x" + Long.toHexString(f.pfn()));
                n.put("kind", f.kind());
                n.put("owner", f.owner());
                n.put("state", f.state());
                final ArrayNode by = n.putArray("mapped_by");
                if (f.mappedBy() != null) {
                    f.mappedBy().forEach(by::add);
                }
            }
        }
        return o;
    }

    private static String json(final ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes JSON text safe inside {@code <script>}: '<', '>' and '&' occur in JSON only within strings,
     * where their {@code \\u} escapes mean the same, so no {@code </script>} or {@code <!--} survives.
     */
    static String scriptSafe(final String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /**
     * Escapes text for HTML element content and quoted attribute values; every character outside
     * printable ASCII becomes a numeric character reference.
     */
    static String escape(final String s) {
        if (s == null) {
            return "";
        }
        final StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c >= 0x20 && c < 0x7f || c == '\n' || c == '\t') {
                        sb.append((char) c);
                    } else {
                        sb.append("&#x").append(Integer.toHexString(c)).append(';');
                    }
                }
            }
        });
        return sb.toString();
    }

    private static String resource(final String name) {
        try (InputStream in = MatrixHtml.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
