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
public record Expect(List<String> violations, Map<String, Map<String, Object>> state, List<Case> cases,
        Map<String, Long> costs) {

    public Expect {
        violations = violations == null ? null : List.copyOf(violations);
        state = Frozen.state(state);
        cases = List.copyOf(cases);
        costs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(costs));
    }

    public Expect(final List<String> violations, final Map<String, Map<String, Object>> state) {
        this(violations, state, List.of(), Map.of());
    }

    /**
     * An expectation for some designs and modes ({@code expect.cases}, docs/SCENARIOS.md):
     * the exact violation set a run under a matching design and mode must report. It takes precedence
     * over {@code expect.violations}; the first matching case wins.
     *
     * @param designs the designs it covers (empty = every design)
     * @param modes   the modes it covers (empty = every mode)
     * @param kernels the kernel releases it covers, as ranges (empty = every release)
     * @param note    why this is the expected outcome (the kernel function, commit or mail that says so), may be null
     * @param costs   exact values of some cost counters, may be empty
     */
    public record Case(List<String> designs, List<String> modes, List<org.ttmsim.release.KernelRange> kernels,
            List<String> violations, String note, SourcePos pos, Map<String, Long> costs) {
        public Case {
            designs = List.copyOf(designs);
            modes = List.copyOf(modes);
            kernels = List.copyOf(kernels);
            violations = List.copyOf(violations);
            costs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(costs));
        }

        public boolean matches(final String design, final String mode, final String kernel) {
            return (designs.isEmpty() || designs.contains(design)) && (modes.isEmpty() || modes.contains(mode))
                    && (kernels.isEmpty() || kernels.stream().anyMatch(k -> k.contains(
                            org.ttmsim.release.KernelRelease.parse(kernel))));
        }
    }

    /** The case covering a run on {@code kernel} ({@code v6.9}), or null. */
    public Case caseFor(final String design, final String mode, final String kernel) {
        for (final Case c : cases) {
            if (c.matches(design, mode, kernel)) {
                return c;
            }
        }
        return null;
    }

    /** The expectations of a scenario without an {@code expect:} section. */
    public static Expect none() {
        return new Expect(null, Map.of());
    }
}
