package org.ttmsim.report;

import java.util.List;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * The runs of a matrix (or of a {@code run} batch) partitioned by verdict, so that a report's totals and the
 * command's exit status are computed from the same numbers, and {@code run} and {@code matrix} exit alike:
 *
 * <ul>
 * <li>{@code pass}: every expectation held (a finding the scenario states, in {@code expect.violations} or a
 *     matching {@code expect.cases} entry, is a pass);
 * <li>{@code fail}: an expectation did not hold, or an invariant broke that no expectation states (docs/SCENARIOS.md,
 *     with no {@code expect.violations} given, a run passes only when no invariant broke): exit 1;
 * <li>{@code errors}: the run could not complete (verdict {@code error}): exit 3;
 * <li>{@code notApplicable}: the kernel cannot boot the mode (verdict {@code n/a}; only a matrix has them).
 * </ul>
 *
 * @param runs          every run
 * @param pass          verdict pass
 * @param fail          verdict fail
 * @param errors        verdict error
 * @param notApplicable verdict n/a
 */
public record MatrixTotals(int runs, int pass, int fail, int errors, int notApplicable) {
    /** The exit statuses (docs/SCENARIOS.md, "Verdicts and exit codes"), as a batch of runs uses them. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_EXPECTATION_FAILED = 1;
    public static final int EXIT_MODEL_ERROR = 3;

    /** Partitions {@code results}: each run counts in exactly one of the four. */
    public static MatrixTotals of(final List<RunResult> results) {
        int pass = 0;
        int fail = 0;
        int errors = 0;
        int na = 0;
        for (final RunResult r : results) {
            if (ScenarioRunner.NOT_APPLICABLE.equals(r.verdict())) {
                na++;
            } else if ("error".equals(r.verdict())) {
                errors++;
            } else if (r.passed()) {
                pass++;
            } else {
                fail++;
            }
        }
        return new MatrixTotals(results.size(), pass, fail, errors, na);
    }

    /**
     * The exit status (docs/SCENARIOS.md, "Verdicts and exit codes"): 3 when a run could not complete (the other verdicts may not be trusted), 1
     * when a run failed, else 0. A finding is not a failure when the scenario states it; one it does not
     * state is.
     */
    public int exitStatus() {
        if (errors > 0) {
            return EXIT_MODEL_ERROR;
        }
        return fail > 0 ? EXIT_EXPECTATION_FAILED : EXIT_OK;
    }

    /** {@code 1870 runs: 1326 pass, 0 fail, 0 errors, 544 not applicable}. */
    public String text() {
        return runs + " runs: " + pass + " pass, " + fail + " fail, " + errors + (errors == 1 ? " error" : " errors")
                + ", " + notApplicable + " not applicable";
    }

    /** What the exit status is and why, in one sentence. */
    public String exitText() {
        return "Exit status " + exitStatus() + ": 1 when a run fails (an expectation did not hold, or an invariant"
                + " broke that the scenario does not expect), 3 when a run could not complete, else 0.";
    }
}
