package org.ttmsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ttmsim.release.KernelRelease;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * The verdict summary of a matrix run: one table of (design, kernel) rows × mode columns, each cell
 * folding every scenario's run of that (design, kernel, mode) into one answer.
 *
 * <pre>
 *   design, kernel         none  sme    sev         sev-snp  tdx
 *   pre-2019 v5.3          .     1: C   9: GDLSACF  -        -
 *   upstream-2024 v6.9     .     .      .           1: F !1  E1
 * </pre>
 *
 * <p>A cell reads, left to right: {@code N: LETTERS} when N scenarios broke at least one invariant there
 * (the letters are every invariant broken in any of them, in the legend's fixed order,
 * {@link MatrixTable#LETTERS}); {@code !N} when the runs of N scenarios failed: an expectation did not hold,
 * or an invariant broke that the scenario does not expect (what makes the matrix exit 1); {@code EN} when N runs could not complete (verdict {@code error}, exit 3);
 * {@code -N} when the kernel could not boot the mode for N of the scenarios. A cell with none of these is
 * {@code .}; one where the kernel boots the mode for no scenario is {@code -}. Findings of a run that could
 * not complete are not counted as broken: its {@code EN} already says the cell cannot be trusted.
 *
 * <p>Results come in the matrix's order (scenario, mode, design, kernel: {@link Matrix#cells}), so the
 * result at index {@code i} of a scenario's block belongs to mode {@code i / rows} and row
 * {@code i % rows}. Deterministic: rows and modes keep the axes' order; scenario lists keep the matrix's.
 */
public final class MatrixSummary {
    /**
     * One (row, mode) cell: the number of scenarios that ran there, and what happened to them.
     *
     * @param scenarios      scenarios in the matrix (every one ran, or was n/a, in this cell)
     * @param broken         scenarios whose run completed and broke at least one invariant
     * @param invariants     the invariant ids broken in any of them, in the legend's order
     * @param failed         scenarios whose run failed (verdict {@code fail}: {@code r.failures()} says why)
     * @param errors         runs that could not complete (verdict {@code error})
     * @param notApplicable  runs the kernel could not boot (verdict {@code n/a})
     * @param brokenScenarios the names of the {@code broken} scenarios, in matrix order
     * @param first          index (into the results) of the first run worth opening: the first error,
     *                       failed run or broken invariant, in that order of preference; -1 if none
     */
    public record Cell(int scenarios, int broken, List<String> invariants, int failed, int errors, int notApplicable,
            List<String> brokenScenarios, int first) {
        public Cell {
            invariants = List.copyOf(invariants);
            brokenScenarios = List.copyOf(brokenScenarios);
        }

        /** The cell as the text table prints it, e.g. {@code 3: GA}, {@code .}, {@code -}, {@code 1: F !1 E1}. */
        public String text() {
            if (scenarios > 0 && notApplicable == scenarios) {
                return "-";
            }
            final List<String> parts = new ArrayList<>();
            if (broken > 0) {
                parts.add(broken + ": " + letters());
            }
            if (failed > 0) {
                parts.add("!" + failed);
            }
            if (errors > 0) {
                parts.add("E" + errors);
            }
            if (notApplicable > 0) {
                parts.add("-" + notApplicable);
            }
            return parts.isEmpty() ? "." : String.join(" ", parts);
        }

        /** The broken invariants as letters, in the legend's order. */
        public String letters() {
            final StringBuilder sb = new StringBuilder();
            invariants.forEach(id -> sb.append(MatrixTable.LETTERS.get(id)));
            return sb.toString();
        }

        /** Whether every scenario's run here was n/a. */
        public boolean allNotApplicable() {
            return scenarios > 0 && notApplicable == scenarios;
        }
    }

    /**
     * One row: a design and the kernel release(s) it ran on.
     *
     * @param design  design id
     * @param kernels the releases its runs used, oldest first: one, unless the matrix has
     *                no kernel axis and some scenario file names its own {@code kernel:}
     * @param cells   one per mode, in the axes' order
     */
    public record Row(String design, List<String> kernels, List<Cell> cells) {
        public Row {
            kernels = List.copyOf(kernels);
            cells = List.copyOf(cells);
        }

        /** {@code pre-2019 v5.3}: the design, then its release(s). */
        public String label() {
            return kernels.isEmpty() ? design : design + " " + String.join(",", kernels);
        }
    }

    private static final String ROW_HEADER = "design, kernel";
    private static final String GAP = "  ";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    private final List<String> modes;
    private final List<Row> rows;
    private final int scenarios;

    private MatrixSummary(final List<String> modes, final List<Row> rows, final int scenarios) {
        this.modes = List.copyOf(modes);
        this.rows = List.copyOf(rows);
        this.scenarios = scenarios;
    }

    /**
     * Folds the results of a matrix run.
     *
     * @param results the runs in the matrix's order, {@code axes.cellsPerScenario()} per scenario
     * @param axes    the matrix's designs, kernels and modes
     * @throws IllegalArgumentException when the results do not fill whole scenario blocks
     */
    public static MatrixSummary of(final List<RunResult> results, final Matrix.Axes axes) {
        final int rowCount = axes.rows();
        final List<String> modes = axes.modes();
        final int per = axes.cellsPerScenario();
        if (per == 0 ? !results.isEmpty() : results.size() % per != 0) {
            throw new IllegalArgumentException(results.size() + " results do not fill whole blocks of " + rowCount
                    + " rows x " + modes.size() + " modes");
        }
        final int scenarioCount = per == 0 ? 0 : results.size() / per;
        final List<Row> rows = new ArrayList<>(rowCount);
        for (int row = 0; row < rowCount; row++) {
            final Set<String> kernels = new LinkedHashSet<>();
            String design = axes.designs().get(row / Math.max(1, axes.kernels().size()));
            final List<Cell> cells = new ArrayList<>(modes.size());
            for (int m = 0; m < modes.size(); m++) {
                final List<Integer> indexes = new ArrayList<>(scenarioCount);
                for (int s = 0; s < scenarioCount; s++) {
                    indexes.add(s * per + m * rowCount + row);
                }
                for (final int i : indexes) {
                    design = results.get(i).design();
                    kernels.add(results.get(i).kernel());
                }
                cells.add(cell(results, indexes));
            }
            rows.add(new Row(design, releaseOrder(kernels), cells));
        }
        return new MatrixSummary(modes, rows, scenarioCount);
    }

    private static Cell cell(final List<RunResult> results, final List<Integer> indexes) {
        int broken = 0;
        int failed = 0;
        int errors = 0;
        int na = 0;
        int firstError = -1;
        int firstFailed = -1;
        int firstBroken = -1;
        final Set<String> ids = new LinkedHashSet<>();
        final List<String> names = new ArrayList<>();
        for (final int i : indexes) {
            final RunResult r = results.get(i);
            if (ScenarioRunner.NOT_APPLICABLE.equals(r.verdict())) {
                na++;
                continue;
            }
            if ("error".equals(r.verdict())) {
                errors++;
                firstError = firstError < 0 ? i : firstError;
                continue;
            }
            if (!r.passed()) {
                failed++;
                firstFailed = firstFailed < 0 ? i : firstFailed;
            }
            if (!r.violations().isEmpty()) {
                broken++;
                firstBroken = firstBroken < 0 ? i : firstBroken;
                ids.addAll(r.violatedIds());
                names.add(r.scenario());
            }
        }
        final List<String> ordered = MatrixTable.LETTERS.keySet().stream().filter(ids::contains).toList();
        final int first = firstError >= 0 ? firstError : firstFailed >= 0 ? firstFailed : firstBroken;
        return new Cell(indexes.size(), broken, ordered, failed, errors, na, names, first);
    }

    public List<String> modes() {
        return modes;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The number of scenarios folded into each cell. */
    public int scenarios() {
        return scenarios;
    }

    /**
     * The table: a heading line, a header of modes, a row per (design, kernel). Each column is as wide as
     * its widest cell or header, so nothing is cut and the columns stay aligned; colour (on a terminal)
     * is added after padding, so it does not move them.
     */
    public String render(final boolean colour) {
        final StringBuilder sb = new StringBuilder();
        sb.append("summary: per design, kernel and mode, how many of the ").append(scenarios)
                .append(scenarios == 1 ? " scenario" : " scenarios").append(" broke invariants (which)\n");
        int labelWidth = ROW_HEADER.length();
        for (final Row r : rows) {
            labelWidth = Math.max(labelWidth, r.label().length());
        }
        final int[] widths = new int[modes.size()];
        for (int m = 0; m < modes.size(); m++) {
            widths[m] = modes.get(m).length();
            for (final Row r : rows) {
                widths[m] = Math.max(widths[m], r.cells().get(m).text().length());
            }
        }
        sb.append("  ").append(pad(ROW_HEADER, labelWidth));
        for (int m = 0; m < modes.size(); m++) {
            sb.append(GAP).append(m + 1 < modes.size() ? pad(modes.get(m), widths[m]) : modes.get(m));
        }
        sb.append('\n');
        for (final Row r : rows) {
            sb.append("  ").append(pad(r.label(), labelWidth));
            for (int m = 0; m < modes.size(); m++) {
                final Cell c = r.cells().get(m);
                final String text = m + 1 < modes.size() ? pad(c.text(), widths[m]) : c.text();
                sb.append(GAP).append(paint(text, c, colour));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** What a summary cell says, for the line under the legend. */
    public static String legend() {
        return "summary cells: \"N: LETTERS\" N scenarios broke invariants there, the letters say which; !N the"
                + " runs of N scenarios failed (an expectation did not hold, or an invariant broke that the scenario"
                + " does not expect); EN N runs could not complete; -N the kernel cannot boot the mode for N scenarios"
                + " (- for all of them); . nothing broke\n";
    }

    private static String pad(final String s, final int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String paint(final String text, final Cell c, final boolean colour) {
        if (!colour || c.allNotApplicable()) {
            return text;
        }
        if (c.errors() > 0 || c.failed() > 0) {
            return YELLOW + text + RESET;
        }
        return (c.broken() > 0 ? RED : GREEN) + text + RESET;
    }

    /**
     * The summary as JSON: {@code scenarios}, {@code modes}, then per row its {@code design},
     * {@code kernel} (the release; several joined by commas when a row ran on more than one), and per mode
     * the cell: {@code cell} (the text), {@code broken}, {@code invariants}, {@code failed}, {@code errors},
     * {@code not_applicable}, {@code broken_scenarios}.
     */
    public ObjectNode toNode() {
        final ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("scenarios", scenarios);
        root.set("modes", ResultJson.mapper().valueToTree(modes));
        final ArrayNode rowsNode = root.putArray("rows");
        for (final Row r : rows) {
            final ObjectNode row = rowsNode.addObject();
            row.put("design", r.design());
            row.put("kernel", String.join(",", r.kernels()));
            final ObjectNode byMode = row.putObject("modes");
            for (int m = 0; m < modes.size(); m++) {
                final Cell c = r.cells().get(m);
                final ObjectNode n = byMode.putObject(modes.get(m));
                n.put("cell", c.text());
                n.put("broken", c.broken());
                n.set("invariants", ResultJson.mapper().valueToTree(c.invariants()));
                n.put("failed", c.failed());
                n.put("errors", c.errors());
                n.put("not_applicable", c.notApplicable());
                n.set("broken_scenarios", ResultJson.mapper().valueToTree(c.brokenScenarios()));
            }
        }
        return root;
    }

    /** The releases oldest first (the release table's order), or as given if one is not a release id. */
    private static List<String> releaseOrder(final Set<String> kernels) {
        final List<String> out = new ArrayList<>(kernels);
        try {
            out.sort(java.util.Comparator.comparing(KernelRelease::parse));
        } catch (final IllegalArgumentException e) {
            return List.copyOf(kernels);
        }
        return List.copyOf(out);
    }
}
