package org.ttmsim.report;

import java.util.List;
import java.util.Map;
import org.ttmsim.sim.RunResult;

/**
 * The matrix as a golden file: one line per cell with what pins its outcome (verdict, the broken
 * invariants in the order they broke, every non-zero cost counter), so that a change that moves
 * any cell shows as a one-line diff. Columns are separated by two spaces; a cell with nothing broken
 * shows {@code -}.
 *
 * <pre>
 * 01-sev-device-writes-user-reads  sev  pre-2019  v5.3  pass  cpu-garbage,attribute-alias  faults=1 ptes_inserted=16 ...
 * </pre>
 */
public final class MatrixGolden {
    private MatrixGolden() {
    }

    /** The golden text of {@code results} (in the matrix's report order), with a header. */
    public static String render(final List<RunResult> results) {
        final StringBuilder sb = new StringBuilder();
        sb.append("# ttmsim built-in matrix, one line per cell: scenario, mode, design, kernel, verdict, invariants broken,\n");
        sb.append("# non-zero cost counters. A change that moves a cell updates this file in the same commit and\n");
        sb.append("# says why in its message, citing the kernel function or commit. Regenerate with\n");
        sb.append("#   mvn -B verify -Dttmsim.golden.update=true\n");
        for (final RunResult r : results) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }

    /** One cell's line. */
    public static String line(final RunResult r) {
        final StringBuilder sb = new StringBuilder();
        sb.append(id(r.file())).append("  ").append(r.mode()).append("  ").append(r.design()).append("  ")
                .append(r.kernel()).append("  ").append(r.verdict()).append("  ");
        final List<String> broken = r.violatedIds();
        sb.append(broken.isEmpty() ? "-" : String.join(",", broken)).append(' ');
        for (final Map.Entry<String, Long> e : r.costs().entrySet()) {
            if (e.getValue() != 0) {
                sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    /** A scenario's id: its file name without directories, {@code builtin:} or {@code .yaml}. */
    static String id(final String file) {
        String f = file.startsWith("builtin:") ? file.substring("builtin:".length()) : file;
        f = f.substring(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
        return f.endsWith(".yaml") ? f.substring(0, f.length() - ".yaml".length()) : f;
    }
}
