package org.ttmsim.scenario;

import java.util.List;
import java.util.Map;

/**
 * The {@code expect:} section of a scenario: what the run must report for the scenario to pass.
 *
 * @param violations the exact set of invariant ids that must be reported, in the order written;
 *                   null when not given (then the run passes when no invariant broke)
 * @param state      final-state checks by BO name (or {@code managers}), insertion-ordered, same
 *                   shape as the result's {@code state}; values are String, Long, Boolean, Double,
 *                   null, or nested insertion-ordered maps and lists of them; may be empty
 */
public record Expect(List<String> violations, Map<String, Map<String, Object>> state) {

    public Expect {
        violations = violations == null ? null : List.copyOf(violations);
        state = Frozen.state(state);
    }

    /** The expectations of a scenario without an {@code expect:} section. */
    public static Expect none() {
        return new Expect(null, Map.of());
    }
}
