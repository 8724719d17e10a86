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
     * An expectation for some designs and modes ({@code expect.cases}, a ttmsim addition to SPEC §2):
     * the exact violation set a run under a matching design and mode must report. It takes precedence
     * over {@code expect.violations}; the first matching case wins.
     *
     * @param designs the designs it covers (empty = every design)
     * @param modes   the modes it covers (empty = every mode)
     * @param kernels the kernel releases it covers, as ranges (empty = every release)
     * @param note    why this is the expected outcome (the reference's words), may be null
     * @param costs   exact values of some SPEC §3 cost counters, may be empty
     * @param results the result each listed step must have under this case, by 1-based step index (a field
     *                case whose outcome differs by release), may be empty
     * @param state   final-state checks under this case, same shape as {@code expect.state}, may be empty
     */
    public record Case(List<String> designs, List<String> modes, List<org.ttmsim.release.KernelRange> kernels,
            List<String> violations, String note, SourcePos pos, Map<String, Long> costs, Map<Integer, String> results,
            Map<String, Map<String, Object>> state) {
        public Case {
            designs = List.copyOf(designs);
            modes = List.copyOf(modes);
            kernels = List.copyOf(kernels);
            violations = List.copyOf(violations);
            costs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(costs));
            results = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(results));
            state = Frozen.map(state);
        }

        /** A case about violations and costs only. */
        public Case(final List<String> designs, final List<String> modes,
                final List<org.ttmsim.release.KernelRange> kernels, final List<String> violations, final String note,
                final SourcePos pos, final Map<String, Long> costs) {
            this(designs, modes, kernels, violations, note, pos, costs, Map.of(), Map.of());
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
