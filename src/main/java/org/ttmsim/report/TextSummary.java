package org.ttmsim.report;

import java.util.HexFormat;
import java.util.Map;
import org.ttmsim.check.Violation;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.StepResult;

/** The human summary of one run: each step with its result, every read as hex and text, each violation with its chain of events. */
public final class TextSummary {
    private static final int HEX_PREVIEW = 32;

    private TextSummary() {
    }

    public static String render(final RunResult r, final boolean trace) {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s  [design %s, mode %s, kernel %s]  %s%n", r.scenario(), r.design(), r.mode(), r.kernel(),
                r.verdict().toUpperCase(java.util.Locale.ROOT)));
        sb.append("  file: ").append(r.file()).append('\n');
        if (r.error() != null) {
            // The first line says what broke; the stack (for a bug report) shows with --trace.
            final String[] lines = r.error().split("\n");
            sb.append("  error: ").append(lines[0]).append('\n');
            if (trace) {
                for (int i = 1; i < lines.length; i++) {
                    sb.append("    ").append(lines[i].strip()).append('\n');
                }
            } else if (lines.length > 1) {
                sb.append("  (an error in the model: please report it with the stack that --trace prints)\n");
            }
        }
        for (final StepResult s : r.steps()) {
            renderStep(sb, s);
        }
        renderViolations(sb, r);
        if (r.note() != null) {
            sb.append("  note: ").append(r.note()).append('\n');
        }
        for (final String f : r.failures()) {
            sb.append("  expectation not met: ").append(f).append('\n');
        }
        sb.append("  costs:");
        for (final Map.Entry<String, Long> e : r.costs().entrySet()) {
            if (e.getValue() != 0 || e.getKey().equals("simulated_ns")) {
                sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        sb.append('\n');
        if (trace) {
            sb.append("  trace:\n");
            for (final String line : r.trace()) {
                sb.append("    ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static void renderStep(final StringBuilder sb, final StepResult s) {
        final String mark = s.expectationsHeld() ? " " : "!";
        sb.append(String.format("  %s%3d %-13s %-8s", mark, s.index(), s.op(), s.result()));
        if (s.expected() != null && !s.expected().equals(s.result())) {
            sb.append(" (expected ").append(s.expected()).append(')');
        }
        if (s.detail() != null && !s.detail().isEmpty()) {
            sb.append(' ').append(s.detail());
        }
        sb.append('\n');
        if (s.data() != null) {
            sb.append("        hex  ").append(hex(s.data())).append('\n');
            sb.append("        text ").append(text(s.data())).append('\n');
            if (s.held() != null) {
                sb.append("        expect ").append(s.held() ? "held" : "DID NOT HOLD").append('\n');
            }
        }
    }

    private static void renderViolations(final StringBuilder sb, final RunResult r) {
        if (r.violations().isEmpty()) {
            sb.append("  violations: none\n");
            return;
        }
        sb.append("  violations:\n");
        for (final Violation v : r.violations()) {
            sb.append("    ").append(v.invariant().id()).append(" at step ").append(v.step()).append(": ")
                    .append(v.message()).append('\n');
            for (final String e : v.evidence()) {
                sb.append("      <- ").append(e).append('\n');
            }
        }
    }

    /** Up to 32 bytes in hex, with the total length when longer. */
    public static String hex(final byte[] b) {
        final int n = Math.min(b.length, HEX_PREVIEW);
        return HexFormat.of().formatHex(b, 0, n) + (b.length > n ? "... (" + b.length + " bytes)" : "");
    }

    /** Printable ASCII, other bytes as '.'. */
    public static String text(final byte[] b) {
        final int n = Math.min(b.length, HEX_PREVIEW);
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            final int c = b[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.append('"').append(b.length > n ? "..." : "").toString();
    }
}
