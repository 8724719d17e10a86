package org.ttmsim.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttmsim.sim.RunResult;

/**
 * The terminal table of a matrix run: one block per scenario, a row per mode, a column per design;
 * each cell shows the broken invariants as letters ({@code .} when none), {@code !} when an
 * expectation of the scenario did not hold, {@code E} when the run could not complete. Colour only on
 * a terminal.
 */
public final class MatrixTable {
    /** Invariant id → one-letter code, in SPEC §4 order. */
    public static final Map<String, String> LETTERS = new LinkedHashMap<>();

    static {
        LETTERS.put("cpu-garbage", "G");
        LETTERS.put("device-garbage", "D");
        LETTERS.put("host-leak", "L");
        LETTERS.put("stale-mapping", "S");
        LETTERS.put("attribute-alias", "A");
        LETTERS.put("cache-corruption", "C");
        LETTERS.put("guest-fatal", "F");
        LETTERS.put("accounting", "$");
    }

    private static final int COL = 9;
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    private MatrixTable() {
    }

    /** The cell's text: letters of the violated invariants, '.', plus '!' or 'E'. */
    public static String cellText(final RunResult r) {
        if ("error".equals(r.verdict())) {
            return "E";
        }
        final StringBuilder sb = new StringBuilder();
        for (final String id : r.violatedIds()) {
            sb.append(LETTERS.getOrDefault(id, "?"));
        }
        if (sb.length() == 0) {
            sb.append('.');
        }
        if (!r.failures().isEmpty()) {
            sb.append('!');
        }
        return sb.toString();
    }

    public static String render(final List<RunResult> results, final List<String> designs, final List<String> modes,
            final boolean colour) {
        final StringBuilder sb = new StringBuilder();
        final int cellsPerScenario = designs.size() * modes.size();
        for (int s = 0; s < results.size(); s += cellsPerScenario) {
            final RunResult first = results.get(s);
            sb.append(first.scenario()).append("   (").append(first.file()).append(")\n");
            sb.append(String.format("  %-8s", "mode"));
            for (final String d : designs) {
                sb.append(String.format(" %-" + COL + "s", abbreviate(d)));
            }
            sb.append('\n');
            for (int m = 0; m < modes.size(); m++) {
                sb.append(String.format("  %-8s", modes.get(m)));
                for (int d = 0; d < designs.size(); d++) {
                    final RunResult r = results.get(s + m * designs.size() + d);
                    sb.append(' ').append(paint(String.format("%-" + COL + "s", cellText(r)), r, colour));
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append(legend());
        return sb.toString();
    }

    private static String abbreviate(final String design) {
        return design.length() <= COL ? design : design.substring(0, COL);
    }

    private static String paint(final String text, final RunResult r, final boolean colour) {
        if (!colour) {
            return text;
        }
        if ("error".equals(r.verdict()) || !r.failures().isEmpty()) {
            return YELLOW + text + RESET;
        }
        return (r.violations().isEmpty() ? GREEN : RED) + text + RESET;
    }

    public static String legend() {
        final StringBuilder sb = new StringBuilder("legend: . nothing broke");
        LETTERS.forEach((id, l) -> sb.append(", ").append(l).append(' ').append(id));
        return sb.append("; ! an expectation of the scenario did not hold; E the run could not complete\n")
                .toString();
    }
}
