package org.ttmsim.sim;

import java.util.List;
import java.util.Map;
import org.ttmsim.check.Violation;

/**
 * The outcome of one run of one scenario under one design and mode: the result object (docs/SCENARIOS.md, "Results"), plus the
 * event trace for {@code --trace} and the HTML report.
 *
 * @param scenario   scenario name
 * @param file       the file as given (or {@code builtin:NAME})
 * @param design     design id
 * @param mode       encryption mode id
 * @param kernel     kernel release the run used ({@code v6.9})
 * @param verdict    {@code pass}, {@code fail} or {@code error}
 * @param error      why the run could not complete (verdict error), else null
 * @param failures   why the verdict is fail: each expectation that did not hold, in a sentence (empty exactly when
 *                   the verdict is not fail)
 * @param violations invariants broken, in step order
 * @param steps      one per step run
 * @param state      final state per BO (insertion order) and {@code managers}
 * @param costs      the cost counters and simulated_ns
 * @param trace      every event as a trace line (empty unless kept)
 * @param frames     the frames involved at the end: pfn → description (for the report's picture)
 * @param note       the {@code note:} of the {@code expect.cases} entry that covered the run (why its outcome is
 *                   the expected one), or null
 */
public record RunResult(String scenario, String file, String design, String mode, String kernel, String verdict,
        String error,
        List<String> failures, List<Violation> violations, List<StepResult> steps, Map<String, Object> state,
        Map<String, Long> costs, List<String> trace, List<FrameInfo> frames, String note) {

    /** A result that no {@code expect.cases} entry explains. */
    public RunResult(final String scenario, final String file, final String design, final String mode,
            final String kernel, final String verdict, final String error, final List<String> failures,
            final List<Violation> violations, final List<StepResult> steps, final Map<String, Object> state,
            final Map<String, Long> costs, final List<String> trace, final List<FrameInfo> frames) {
        this(scenario, file, design, mode, kernel, verdict, error, failures, violations, steps, state, costs, trace,
                frames, null);
    }

    /** One frame in the final picture: who maps it, with which key and attribute. */
    public record FrameInfo(long pfn, String kind, String owner, String state, List<String> mappedBy) {
    }

    /** The same result without its trace (the HTML report keeps traces only where something broke). */
    public RunResult withoutTrace() {
        return new RunResult(scenario, file, design, mode, kernel, verdict, error, failures, violations, steps, state,
                costs, List.of(), frames, note);
    }

    /** Whether nothing broke and every expectation held. */
    public boolean clean() {
        return violations.isEmpty() && failures.isEmpty() && error == null;
    }

    public boolean passed() {
        return "pass".equals(verdict);
    }

    /** The distinct invariant ids broken, in first-occurrence order. */
    public List<String> violatedIds() {
        return violations.stream().map(v -> v.invariant().id()).distinct().toList();
    }
}
