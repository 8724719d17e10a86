package org.ttmsim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.report.MatrixHtmlFixture.DESIGNS;
import static org.ttmsim.report.MatrixHtmlFixture.MODES;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

class MatrixSummaryTest {
    private static final Matrix.Axes AXES = new Matrix.Axes(DESIGNS, List.of(), MODES);

    private static MatrixSummary.Cell cell(final MatrixSummary s, final int row, final String mode) {
        return s.rows().get(row).cells().get(s.modes().indexOf(mode));
    }

    @Test
    void shouldFoldEveryScenarioOfARowAndModeIntoOneCell() {
        final MatrixSummary s = MatrixSummary.of(MatrixHtmlFixture.results(), AXES);

        assertThat(s.scenarios()).isEqualTo(2);
        assertThat(s.rows()).extracting(MatrixSummary.Row::label).containsExactly("pre-2019 v6.9",
                "upstream-2024 v6.9");
        assertThat(cell(s, 0, "none").text()).isEqualTo(".");
        assertThat(cell(s, 1, "none").text()).isEqualTo(".");
        // scenario 1 broke cpu-garbage (and an expectation), scenario 2 host-leak: letters in legend order
        final MatrixSummary.Cell broke = cell(s, 0, "sev");
        assertThat(broke.text()).isEqualTo("2: GL !1");
        assertThat(broke.invariants()).containsExactly("cpu-garbage", "host-leak");
        assertThat(broke.brokenScenarios()).containsExactly(MatrixHtmlFixture.SCENARIO,
                MatrixHtmlFixture.HOSTILE_SCENARIO);
        assertThat(broke.first()).as("the failed run is the one to open first").isEqualTo(2);
        // an error is counted apart, not as broken
        final MatrixSummary.Cell error = cell(s, 1, "sev");
        assertThat(error.text()).isEqualTo("E1");
        assertThat(error.broken()).isZero();
        assertThat(error.first()).isEqualTo(3);
    }

    @Test
    void shouldShowADashWhenTheKernelCannotBootTheModeForAnyScenario() {
        final List<RunResult> rs = new ArrayList<>(MatrixHtmlFixture.results());
        rs.set(3, notApplicable(rs.get(3)));
        rs.set(7, notApplicable(rs.get(7)));
        rs.set(6, notApplicable(rs.get(6)));

        final MatrixSummary s = MatrixSummary.of(rs, AXES);

        assertThat(cell(s, 1, "sev").text()).isEqualTo("-");
        assertThat(cell(s, 0, "sev").text()).as("n/a for one of two scenarios").isEqualTo("1: G !1 -1");
    }

    @Test
    void shouldAlignColumnsAndNeverCutHeadersOrLabels() {
        final String longDesign = "a-very-long-design-id-of-30-chr";
        final List<String> designs = List.of("pre-2019", longDesign);
        final List<String> modes = List.of("none", "sev-snp");
        final List<RunResult> rs = new ArrayList<>();
        for (final String m : modes) {
            for (final String d : designs) {
                rs.add(MatrixHtmlFixture.pass("s", d, m));
            }
        }
        rs.set(1, MatrixHtmlFixture.garbage(longDesign, "none"));

        final List<String> lines = MatrixSummary.of(rs, new Matrix.Axes(designs, List.of(), modes)).render(false)
                .lines().toList();

        assertThat(lines).hasSize(4);
        final String header = lines.get(1);
        assertThat(header).startsWith("  design, kernel").contains("none").endsWith("sev-snp");
        final int none = header.indexOf("none");
        final int snp = header.indexOf("sev-snp");
        assertThat(lines.get(2)).startsWith("  pre-2019 v6.9 ");
        assertThat(lines.get(3)).startsWith("  " + longDesign + " v6.9  ");
        for (final String row : lines.subList(2, 4)) {
            assertThat(row.charAt(none - 1)).isEqualTo(' ');
            assertThat(row.charAt(none)).isNotEqualTo(' ');
            assertThat(row.charAt(snp - 2)).isEqualTo(' ');
            assertThat(row.charAt(snp)).isEqualTo('.');
            assertThat(row.substring(0, none)).as("the label column fits the longest label").endsWith("  ");
        }
        assertThat(lines.get(3).substring(none)).startsWith("1: G !1  ");
    }

    @Test
    void shouldPaintCellsOnlyWhenAsked() {
        final MatrixSummary s = MatrixSummary.of(MatrixHtmlFixture.results(), AXES);

        assertThat(s.render(false)).doesNotContain("\u001b[");
        assertThat(s.render(true)).contains("\u001b[33m2: GL !1").contains("\u001b[32m.");
        assertThat(s.render(true).replaceAll("\u001b\\[\\d+m", "")).isEqualTo(s.render(false));
    }

    @Test
    void shouldGiveTheSameDataAsJson() {
        final JsonNode n = MatrixSummary.of(MatrixHtmlFixture.results(), AXES).toNode();

        assertThat(n.get("scenarios").asInt()).isEqualTo(2);
        assertThat(n.get("modes")).hasToString("[\"none\",\"sev\"]");
        final JsonNode row = n.get("rows").get(0);
        assertThat(row.get("design").asText()).isEqualTo("pre-2019");
        assertThat(row.get("kernel").asText()).isEqualTo("v6.9");
        final JsonNode sev = row.get("modes").get("sev");
        assertThat(sev.get("cell").asText()).isEqualTo("2: GL !1");
        assertThat(sev.get("broken").asInt()).isEqualTo(2);
        assertThat(sev.get("invariants")).hasToString("[\"cpu-garbage\",\"host-leak\"]");
        assertThat(sev.get("failed").asInt()).isEqualTo(1);
        assertThat(sev.get("errors").asInt()).isZero();
        assertThat(sev.get("not_applicable").asInt()).isZero();
        assertThat(sev.get("broken_scenarios")).hasSize(2);
        assertThat(n.get("rows").get(1).get("modes").get("sev").get("errors").asInt()).isEqualTo(1);
    }

    @Test
    void shouldPutTheSummaryInTheMatrixJson() {
        final JsonNode root = MatrixJson.toNode(MatrixHtmlFixture.results(), AXES);

        assertThat(root.get("summary")).isEqualTo(MatrixSummary.of(MatrixHtmlFixture.results(), AXES).toNode());
        assertThat(root.fieldNames()).toIterable().containsExactly("designs", "kernels", "modes", "scenarios",
                "summary", "totals", "cells");
    }

    @Test
    void shouldRejectResultsThatDoNotFillWholeScenarioBlocks() {
        assertThatThrownBy(() -> MatrixSummary.of(MatrixHtmlFixture.results().subList(0, 3), AXES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 results");
        assertThat(MatrixSummary.of(List.of(), AXES).rows()).extracting(MatrixSummary.Row::label)
                .containsExactly("pre-2019", "upstream-2024");
    }

    @Test
    void shouldLabelRowsWithEachKernelOfTheKernelAxis() {
        final List<RunResult> rs = new ArrayList<>();
        for (final String m : List.of("none")) {
            for (final String d : List.of("pre-2019")) {
                for (final String k : List.of("v5.6", "v6.12")) {
                    rs.add(withKernel(MatrixHtmlFixture.pass("s", d, m), k));
                }
            }
        }

        final MatrixSummary s = MatrixSummary.of(rs, new Matrix.Axes(List.of("pre-2019"), List.of("v5.6", "v6.12"),
                List.of("none")));

        assertThat(s.rows()).extracting(MatrixSummary.Row::label).containsExactly("pre-2019 v5.6", "pre-2019 v6.12");
    }

    private static RunResult notApplicable(final RunResult r) {
        return new RunResult(r.scenario(), r.file(), r.design(), r.mode(), r.kernel(), ScenarioRunner.NOT_APPLICABLE,
                "the kernel cannot boot", List.of(), List.of(), List.of(), Map.of(), r.costs(), List.of(), List.of());
    }

    private static RunResult withKernel(final RunResult r, final String kernel) {
        return new RunResult(r.scenario(), r.file(), r.design(), r.mode(), kernel, r.verdict(), r.error(), r.failures(),
                r.violations(), r.steps(), r.state(), r.costs(), r.trace(), r.frames());
    }
}
