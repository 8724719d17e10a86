package org.ttmsim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.report.MatrixHtmlFixture.DESIGNS;
import static org.ttmsim.report.MatrixHtmlFixture.MODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ttmsim.sim.RunResult;

class MatrixHtmlTest {
    private static final Pattern CELL = Pattern.compile("<td class=\"cell ([a-z]+)\"[^>]*>([^<]*)</td>");
    private static final Pattern DATA_BLOB = Pattern.compile(
            "<script type=\"application/json\" id=\"results\">\n(.*?)\n</script>", Pattern.DOTALL);

    private static String page() {
        return MatrixHtml.render(MatrixHtmlFixture.results(), new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES));
    }

    private static final Pattern INDEX = Pattern.compile("data-index=\"(\\d+)\"");

    /** The cell tags in the order of their runs' indexes (the page lays them out row by row). */
    private static List<String> cellsByIndex(final String page) {
        final List<String> tags = cellTags(page);
        final String[] byIndex = new String[tags.size()];
        for (final String t : tags) {
            final Matcher m = INDEX.matcher(t);
            assertThat(m.find()).isTrue();
            byIndex[Integer.parseInt(m.group(1))] = t;
        }
        return List.of(byIndex);
    }

    private static List<String> cellTags(final String page) {
        final List<String> tags = new ArrayList<>();
        final Matcher m = CELL.matcher(page);
        while (m.find()) {
            tags.add(m.group());
        }
        return tags;
    }

    private static int count(final String haystack, final String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldRenderByteIdenticalPagesWhenGivenEqualResults() {
        assertThat(MatrixHtml.render(MatrixHtmlFixture.results(), new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES))).isEqualTo(page());
    }

    @Test
    void shouldRenderOneCellWithDataAttributesPerRun() {
        final String page = page();
        final List<String> cells = cellsByIndex(page);
        final List<RunResult> results = MatrixHtmlFixture.results();

        assertThat(cells).hasSize(results.size());
        for (int i = 0; i < results.size(); i++) {
            final RunResult r = results.get(i);
            assertThat(cells.get(i))
                    .contains("data-index=\"" + i + "\"")
                    .contains("data-scenario=\"" + MatrixHtml.escape(r.scenario()) + "\"")
                    .contains("data-design=\"" + r.design() + "\"")
                    .contains("data-mode=\"" + r.mode() + "\"")
                    .contains("data-verdict=\"" + r.verdict() + "\"")
                    .endsWith(">" + MatrixHtml.escape(MatrixTable.cellText(r)) + "</td>");
        }
        assertThat(page).contains("<aside id=\"detail\"");
    }

    @Test
    void shouldColourCellsGreenRedOrAmberByOutcome() {
        final List<String> cells = cellsByIndex(page());

        assertThat(cells.get(0)).startsWith("<td class=\"cell ok\"").endsWith(">.</td>");
        assertThat(cells.get(2)).as("cpu-garbage with an unmet expectation")
                .startsWith("<td class=\"cell unmet\"").endsWith(">G!</td>");
        assertThat(cells.get(3)).as("error").startsWith("<td class=\"cell unmet\"").endsWith(">E</td>");
        assertThat(cells.get(6)).as("host-leak, as a case of the scenario states")
                .startsWith("<td class=\"cell broke\"").endsWith(">L</td>");
    }

    @Test
    void shouldEscapeScenarioNamesAndMessagesWhenTheyHoldMarkup() {
        final String page = page();

        assertThat(page).doesNotContain(MatrixHtmlFixture.HOSTILE_SCENARIO)
                .doesNotContain("<img").doesNotContain("<b>").doesNotContain("<i>")
                .contains("<h2>evil &lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;s&#39;)"
                        + "&lt;/script&gt; &amp; &quot;q&quot;</h2>")
                .contains("\\u003cimg src=x onerror=");
        assertThat(count(page, "<script")).as("only the data and the page script").isEqualTo(2);
        assertThat(count(page, "</script>")).isEqualTo(2);
        assertThat(page).doesNotContain("<!--");
    }

    @Test
    void shouldEscapeEveryCharacterThatMattersToHtml() {
        assertThat(MatrixHtml.escape("a<b>&\"c'\u00e9\ud83d\ude00\u0007")).isEqualTo(
                "a&lt;b&gt;&amp;&quot;c&#39;&#xe9;&#x1f600;&#x7;");
        assertThat(MatrixHtml.escape(null)).isEmpty();
    }

    @Test
    void shouldReferenceNoNetworkResources() {
        final String page = page();

        assertThat(page).doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn")
                .doesNotContain("<link").doesNotContain(" src=\"").doesNotContain("@import").doesNotContain("url(");
    }

    @Test
    void shouldBePureAsciiSoAnyWriterCharsetKeepsItIntact() {
        final String name = "donn\u00e9es \u2028 \ud83d\ude00";
        final List<RunResult> rs = new ArrayList<>(MatrixHtmlFixture.results());
        for (final String mode : MODES) {
            for (final String design : DESIGNS) {
                rs.add(MatrixHtmlFixture.pass(name, design, mode));
            }
        }
        final String page = MatrixHtml.render(rs, new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES));

        assertThat(page.chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f)).isTrue();
        assertThat(page).contains("<h2>donn&#xe9;es &#x2028; &#x1f600;</h2>")
                .contains("\"scenario\":\"donn\\u00E9es \\u2028 \\uD83D\\uDE00\"");
    }

    @Test
    void shouldEmbedEachResultAsResultJsonPlusCellTraceAndFrames() throws Exception {
        final Matcher m = DATA_BLOB.matcher(page());
        assertThat(m.find()).isTrue();
        final JsonNode data = new ObjectMapper().readTree(m.group(1));
        final List<RunResult> results = MatrixHtmlFixture.results();

        assertThat(data.size()).isEqualTo(results.size());
        for (int i = 0; i < results.size(); i++) {
            final JsonNode embedded = data.get(i);
            ResultJson.toNode(results.get(i)).fields()
                    .forEachRemaining(e -> assertThat(embedded.get(e.getKey())).hasToString(e.getValue().toString()));
        }
        final JsonNode garbage = data.get(2);
        assertThat(garbage.get("cell").asText()).isEqualTo("G!");
        assertThat(garbage.get("violations").get(0).get("evidence")).hasSize(MatrixHtmlFixture.EVIDENCE.size());
        assertThat(garbage.get("trace")).hasSize(MatrixHtmlFixture.TRACE_EVENTS);
        assertThat(garbage.get("frames").get(2).get("pfn_hex").asText()).isEqualTo("0x80000");
        assertThat(garbage.get("frames").get(0).get("mapped_by").get(0).asText()).isEqualTo("p1:a WB C=1");
        assertThat(data.get(6).get("violations").get(0).get("message").asText())
                .isEqualTo(MatrixHtmlFixture.HOSTILE_MESSAGE);
    }

    @Test
    void shouldListEveryInvariantInTheLegend() {
        final String page = page();

        MatrixTable.LETTERS.keySet().forEach(id -> assertThat(page).contains(id + ": "));
    }

    @Test
    void shouldRejectResultsWhenNotInMatrixOrder() {
        final List<RunResult> rs = new ArrayList<>(MatrixHtmlFixture.results());
        Collections.swap(rs, 0, 1);

        assertThatThrownBy(() -> MatrixHtml.render(rs, new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("result 0 is").hasMessageContaining("upstream-2024");
        assertThatThrownBy(() -> MatrixHtml.render(rs.subList(0, 3), new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRenderAnEmptyPageWhenThereAreNoRuns() {
        final String page = MatrixHtml.render(List.of(), new org.ttmsim.sim.Matrix.Axes(DESIGNS, java.util.List.of(), MODES));

        assertThat(page).contains("No runs.").contains("<aside id=\"detail\"").contains("0 runs: 0 pass");
        assertThat(cellTags(page)).isEmpty();
    }

    @Test
    void shouldLayOutEachScenarioAsTheTerminalDoesWithARowPerDesignAndAColumnPerMode() {
        final String page = page();
        final int table = page.indexOf("<table class=\"matrix\">");
        final String block = page.substring(table, page.indexOf("</table>", table));

        assertThat(block).contains("<thead><tr><th scope=\"col\">design, kernel</th><th scope=\"col\">none</th>"
                + "<th scope=\"col\">sev</th></tr></thead>");
        assertThat(block).containsPattern("<tr><th scope=\"row\">pre-2019 v6.9</th><td [^>]*data-index=\"0\"[^>]*>"
                + "\\.</td><td [^>]*data-index=\"2\"[^>]*>G!</td></tr>");
        assertThat(block).containsPattern("<tr><th scope=\"row\">upstream-2024 v6.9</th><td [^>]*data-index=\"1\""
                + "[^>]*>\\.</td><td [^>]*data-index=\"3\"[^>]*>E</td></tr>");
    }

    @Test
    void shouldPutTheSummaryTableFirstWithOneCellPerDesignAndMode() {
        final String page = page();
        final int summary = page.indexOf("<table class=\"matrix summary\" id=\"summary-table\">");

        assertThat(summary).isPositive().isLessThan(page.indexOf("<table class=\"matrix\">"));
        assertThat(page.indexOf("<table")).isEqualTo(summary);
        assertThat(page).containsPattern("<tr><th scope=\"row\">pre-2019 v6.9</th><td class=\"sum ok\" "
                + "data-row=\"pre-2019 v6.9\" data-mode=\"none\" data-broken=\"0\"[^>]*>\\.</td>"
                + "<td class=\"sum unmet\" tabindex=\"0\" data-row=\"pre-2019 v6.9\" data-mode=\"sev\" "
                + "data-broken=\"2\" data-failed=\"1\" data-errors=\"0\" data-na=\"0\" data-first=\"2\"[^>]*>"
                + "2: GL !1</td></tr>");
        assertThat(page).containsPattern("<td class=\"sum unmet\" tabindex=\"0\" data-row=\"upstream-2024 v6.9\" "
                + "data-mode=\"sev\" data-broken=\"0\" data-failed=\"0\" data-errors=\"1\" data-na=\"0\" "
                + "data-first=\"3\"[^>]*>E1</td>");
    }

    @Test
    void shouldCountTotalsAsTheExitStatusDoes() {
        assertThat(page()).contains("<div class=\"totals\" data-pass=\"6\" data-fail=\"1\" data-errors=\"1\" "
                + "data-na=\"0\" data-exit=\"3\">8 runs: 6 pass, 1 fail, 1 error, 0 not applicable "
                + "<span class=\"exit\">Exit status 3:");

        final List<RunResult> noError = new ArrayList<>(MatrixHtmlFixture.results());
        noError.set(3, MatrixHtmlFixture.pass(MatrixHtmlFixture.SCENARIO, "upstream-2024", "sev"));
        assertThat(MatrixTotals.of(noError).exitStatus()).as("an unmet expectation").isEqualTo(1);
        noError.set(2, MatrixHtmlFixture.pass(MatrixHtmlFixture.SCENARIO, "pre-2019", "sev"));
        assertThat(MatrixTotals.of(noError).exitStatus()).as("a finding a case states is a pass").isZero();
        noError.set(6, MatrixHtmlFixture.unexpected(noError.get(6)));
        assertThat(MatrixTotals.of(noError).exitStatus()).as("a finding no expectation states fails")
                .isEqualTo(1);
        assertThat(MatrixTotals.of(noError).fail()).isEqualTo(1);
    }

    @Test
    void shouldShowACasesNoteOnTheCellItExplainsEscaped() {
        final String page = page();
        final String cell = cellsByIndex(page).get(6);

        assertThat(cell).contains(" data-note=\"" + MatrixHtml.escape(MatrixHtmlFixture.HOSTILE_NOTE) + "\"")
                .contains(" title=\"pass, host-leak - " + MatrixHtml.escape(MatrixHtmlFixture.HOSTILE_NOTE) + "\"");
        assertThat(page).doesNotContain("<em ");
    }

    @Test
    void shouldShowNotApplicableCellsGreyAndSayWhyInTheLegend() {
        final List<RunResult> rs = new ArrayList<>(MatrixHtmlFixture.results());
        final RunResult r = rs.get(1);
        rs.set(1, new RunResult(r.scenario(), r.file(), r.design(), r.mode(), r.kernel(),
                org.ttmsim.sim.ScenarioRunner.NOT_APPLICABLE, "cannot boot", List.of(), List.of(), List.of(),
                java.util.Map.of(), r.costs(), List.of(), List.of()));

        final String page = MatrixHtml.render(rs, new org.ttmsim.sim.Matrix.Axes(DESIGNS, List.of(), MODES));

        assertThat(cellsByIndex(page).get(1)).startsWith("<td class=\"cell na\"").endsWith(">-</td>");
        assertThat(page).contains("<span class=\"swatch na\">-</span> the kernel cannot boot in that mode")
                .contains("data-na=\"1\"");
    }

    @Test
    void shouldKeepThePageScriptFreeOfSequencesThatEndAScriptElement() {
        final String page = page();
        final int script = page.lastIndexOf("<script>\n");
        final String body = page.substring(script + "<script>\n".length(), page.lastIndexOf("</script>"));

        assertThat(body).doesNotContain("</").doesNotContain("<!--").contains("function selectFromHash");
    }
}
