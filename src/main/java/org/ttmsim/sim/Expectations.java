package org.ttmsim.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ttmsim.check.Violation;
import org.ttmsim.scenario.Expect;
import org.ttmsim.scenario.Scenario;

/**
 * Judges a run against its scenario's expectations (see {@link #isOwnConfiguration} for which apply): each step's {@code result:} and read
 * {@code expect:}, the exact set of violated invariants (from the matching {@code expect.cases} entry,
 * else {@code expect.violations}), {@code expect.state}, and exact cost counters ({@code expect.costs},
 * overridden by the matching case's {@code costs}).
 */
final class Expectations {
    /** The verdict with the reasons a run failed its explicit expectations. */
    record Judgement(String verdict, List<String> failures) {
    }

    private Expectations() {
    }

    static Judgement judge(final Scenario s, final String design, final String mode, final String kernel,
            final List<StepResult> steps, final List<Violation> violations, final Map<String, Object> state,
            final Map<String, Long> costs) {
        final List<String> failures = new ArrayList<>();
        final boolean own = isOwnConfiguration(s, design, mode, kernel);
        for (final StepResult r : own ? steps : List.<StepResult>of()) {
            if (r.expected() != null && !r.expected().equals(r.result())) {
                failures.add(String.format("step %d (%s): expected result %s, got %s", r.index(), r.op(),
                        r.expected(), r.result()));
            }
            if (r.held() != null && !r.held()) {
                failures.add(String.format("step %d (%s): the bytes read differ from expect", r.index(), r.op()));
            }
        }
        final List<String> expected = expectedViolations(s.expect(), design, mode, kernel, own);
        final Set<String> actual = new LinkedHashSet<>();
        violations.forEach(v -> actual.add(v.invariant().id()));
        if (expected != null && !actual.equals(new LinkedHashSet<>(expected))) {
            failures.add("expected violations " + expected + ", got " + List.copyOf(actual));
        }
        if (own) {
            checkState(s.expect().state(), state, failures);
        }
        final Expect.Case c = s.expect().caseFor(design, mode, kernel);
        if (c != null) {
            c.results().forEach((index, result) -> {
                final StepResult r = index <= steps.size() ? steps.get(index - 1) : null;
                final String got = r == null ? "nothing (the run ended first)" : r.result();
                if (!result.equals(got)) {
                    failures.add(String.format("step %d: expected result %s under this case, got %s", index, result,
                            got));
                }
            });
            checkState(c.state(), state, failures);
        }
        expectedCosts(s.expect(), design, mode, kernel, own).forEach((k, v) -> {
            if (!v.equals(costs.get(k))) {
                failures.add(String.format("cost %s: expected %d, got %d", k, v, costs.get(k)));
            }
        });
        final boolean unexpected = expected == null && !actual.isEmpty();
        return new Judgement(failures.isEmpty() && !unexpected ? "pass" : "fail", failures);
    }

    /**
     * Whether the run uses the file's own design, mode and kernel (the file's {@code kernel:}, or the
     * design's own release when it names none). Step results, read expectations,
     * {@code expect.violations}, {@code expect.state} and {@code expect.costs} describe that
     * configuration; under another design, mode or kernel (an override, a matrix cell) only the matching
     * {@code expect.cases} entry applies.
     */
    static boolean isOwnConfiguration(final Scenario s, final String design, final String mode,
            final String kernel) {
        final String ownKernel = s.kernel() != null ? s.kernel()
                : org.ttmsim.design.Designs.byId(s.design()).ownRelease().id();
        return design.equals(s.design()) && mode.equals(s.machine().encryption()) && kernel.equals(ownKernel);
    }

    /** The exact violation set this run must report, or null when the scenario does not say. */
    static List<String> expectedViolations(final Expect e, final String design, final String mode,
            final String kernel, final boolean own) {
        final Expect.Case c = e.caseFor(design, mode, kernel);
        return c != null ? c.violations() : own ? e.violations() : null;
    }

    /** The counters this run must show: {@code expect.costs}, overridden by the matching case's. */
    static Map<String, Long> expectedCosts(final Expect e, final String design, final String mode,
            final String kernel, final boolean own) {
        final Map<String, Long> m = new java.util.LinkedHashMap<>(own ? e.costs() : Map.of());
        final Expect.Case c = e.caseFor(design, mode, kernel);
        if (c != null) {
            m.putAll(c.costs());
        }
        return m;
    }

    private static void checkState(final Map<String, Map<String, Object>> expected, final Map<String, Object> state,
            final List<String> failures) {
        for (final Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            final Object actual = state.get(e.getKey());
            if (!(actual instanceof Map<?, ?> actualMap)) {
                failures.add("state of " + e.getKey() + ": expected " + e.getValue() + ", but it does not exist");
                continue;
            }
            for (final Map.Entry<String, Object> kv : e.getValue().entrySet()) {
                final Object got = actualMap.get(kv.getKey());
                if (!matches(kv.getValue(), got)) {
                    failures.add(String.format("state of %s.%s: expected %s, got %s", e.getKey(), kv.getKey(),
                            kv.getValue(), got));
                }
            }
        }
    }

    /** Expected values may be partial maps (only the keys given are compared); numbers compare by value. */
    private static boolean matches(final Object expected, final Object actual) {
        if (expected instanceof Map<?, ?> em) {
            if (!(actual instanceof Map<?, ?> am)) {
                return false;
            }
            for (final Map.Entry<?, ?> e : em.entrySet()) {
                if (!matches(e.getValue(), am.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Number en && actual instanceof Number an) {
            return en.longValue() == an.longValue() && en.doubleValue() == an.doubleValue();
        }
        if (expected instanceof List<?> el && actual instanceof List<?> al) {
            if (el.size() != al.size()) {
                return false;
            }
            for (int i = 0; i < el.size(); i++) {
                if (!matches(el.get(i), al.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected == null ? actual == null : expected.equals(actual);
    }
}
