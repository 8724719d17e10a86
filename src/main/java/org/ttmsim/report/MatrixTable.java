package org.ttmsim.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttmsim.check.Invariant;
import org.ttmsim.sim.Matrix;
import org.ttmsim.sim.RunResult;

/**
 * The terminal table of a matrix run: one block per scenario, a row per design, a column per mode;
 * each cell shows the broken invariants as letters ({@code .} when none), {@code !} when the run failed
 * (an expectation of the scenario did not hold, or an invariant broke that it does not expect), {@code E}
 * when the run could not complete. Under each block, the {@code note:} of every {@code expect.cases} entry
 * that covered a cell, with the cells it covered. Colour only on a terminal.
 */
public final class MatrixTable {
    /** Invariant id → one-letter code, in the order of docs/SCENARIOS.md "Invariants" ({@link Invariant#letter()}). */
    public static final Map<String, String> LETTERS = letters();

    private static Map<String, String> letters() {
        final Map<String, String> m = new LinkedHashMap<>();
        for (final Invariant i : Invariant.values()) {
            m.put(i.id(), i.letter());
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Width of a mode column: room for every letter and a mark. */
    private static final int COL = 9;
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    private MatrixTable() {
    }

    /**
     * The cell's text: letters of the violated invariants in one fixed order (the legend's, docs/SCENARIOS.md "Invariants"),
     * '.' when none, plus '!' when the run failed; 'E' when it could not complete, '-' when it could not boot.
     */
    public static String cellText(final RunResult r) {
        if ("error".equals(r.verdict())) {
            return "E";
        }
        if (org.ttmsim.sim.ScenarioRunner.NOT_APPLICABLE.equals(r.verdict())) {
            return "-";
        }
        final StringBuilder sb = new StringBuilder();
        final List<String> broken = r.violatedIds();
        LETTERS.forEach((id, letter) -> {
            if (broken.contains(id)) {
                sb.append(letter);
            }
        });
        if (sb.length() == 0) {
            sb.append('.');
        }
        if ("fail".equals(r.verdict())) {
            sb.append('!');
        }
        return sb.toString();
    }

    /** The scenario blocks ({@link #blocks}), then the legend. */
    public static String render(final List<RunResult> results, final Matrix.Axes axes, final boolean colour) {
        return blocks(results, axes, colour) + legend();
    }

    /**
     * One block per scenario: a row per (design, kernel), labelled with the design and the release it ran
     * on, a column per mode, then the notes of the cases that covered its cells ({@link #notes}); each block
     * ends with a blank line.
     */
    public static String blocks(final List<RunResult> results, final Matrix.Axes axes, final boolean colour) {
        final StringBuilder sb = new StringBuilder();
        final int cellsPerScenario = axes.cellsPerScenario();
        final int rows = axes.rows();
        final List<String> modes = axes.modes();
        final int modeCol = Math.max(COL, modes.stream().mapToInt(String::length).max().orElse(0));
        for (int s = 0; s < results.size(); s += cellsPerScenario) {
            final RunResult first = results.get(s);
            final List<String> labels = new java.util.ArrayList<>();
            for (int d = 0; d < rows; d++) {
                final RunResult r = results.get(s + d);
                labels.add(r.design() + " " + r.kernel());
            }
            final int designCol = Math.max("design, kernel".length(),
                    labels.stream().mapToInt(String::length).max().orElse(0));
            sb.append(first.scenario()).append("   (").append(first.file()).append(")\n");
            sb.append(String.format("  %-" + designCol + "s", "design, kernel"));
            for (int m = 0; m < modes.size(); m++) {
                sb.append(' ').append(m + 1 < modes.size() ? String.format("%-" + modeCol + "s", modes.get(m))
                        : modes.get(m));
            }
            sb.append('\n');
            for (int d = 0; d < rows; d++) {
                sb.append(String.format("  %-" + designCol + "s", labels.get(d)));
                for (int m = 0; m < modes.size(); m++) {
                    final RunResult r = results.get(s + m * rows + d);
                    final String text = m + 1 < modes.size() ? String.format("%-" + modeCol + "s", cellText(r))
                            : cellText(r);
                    sb.append(' ').append(paint(text, r, colour));
                }
                sb.append('\n');
            }
            sb.append(notes(results.subList(s, s + cellsPerScenario), modes));
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The notes of one scenario's block: each distinct {@code expect.cases} note once, in the order the
     * cells first show it (mode by mode, then design), after the cells it explains, grouped by mode:
     * {@code     sev: pre-2019 v5.3, insert-pfn v5.3 - the user PTE is encrypted, the page is not}.
     *
     * @param block the scenario's results in matrix order (mode, then design and kernel)
     * @param modes the mode columns
     */
    static String notes(final List<RunResult> block, final List<String> modes) {
        final Map<String, Map<String, List<String>>> cellsByNote = new LinkedHashMap<>();
        for (final RunResult r : block) {
            if (r.note() != null) {
                cellsByNote.computeIfAbsent(r.note(), n -> new LinkedHashMap<>())
                        .computeIfAbsent(r.mode(), m -> new java.util.ArrayList<>()).add(r.design() + " " + r.kernel());
            }
        }
        if (cellsByNote.isEmpty()) {
            return "";
        }
        final int rows = modes.isEmpty() ? 0 : block.size() / modes.size();
        final StringBuilder sb = new StringBuilder("  notes:\n");
        cellsByNote.forEach((note, byMode) -> {
            final List<String> where = new java.util.ArrayList<>();
            for (final String m : modes) {
                if (byMode.containsKey(m)) {
                    final List<String> cells = byMode.get(m);
                    where.add(m + ": " + (cells.size() == rows && rows > 1 ? "every design" : String.join(", ", cells)));
                }
            }
            sb.append("    ").append(String.join("; ", where)).append(" - ").append(note).append('\n');
        });
        return sb.toString();
    }

    private static String paint(final String text, final RunResult r, final boolean colour) {
        if (!colour || org.ttmsim.sim.ScenarioRunner.NOT_APPLICABLE.equals(r.verdict())) {
            return text;
        }
        if (!r.passed()) {
            return YELLOW + text + RESET;
        }
        return (r.violations().isEmpty() ? GREEN : RED) + text + RESET;
    }

    public static String legend() {
        final StringBuilder sb = new StringBuilder("legend: . nothing broke");
        LETTERS.forEach((id, l) -> sb.append(", ").append(l).append(' ').append(id));
        return sb.append("; ! the run failed (an expectation of the scenario did not hold, or an invariant broke that"
                + " it does not expect); E the run could not complete;"
                + " - the kernel cannot boot in that mode (SEV-SNP and TDX guests need v5.19; try --kernels)\n")
                .toString();
    }
}
