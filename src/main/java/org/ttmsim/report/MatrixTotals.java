package org.ttmsim.report;

import java.util.List;
import org.ttmsim.sim.RunResult;
import org.ttmsim.sim.ScenarioRunner;

/**
 * The runs of a matrix partitioned by what they mean for its exit status, so that a report's totals and
 * the command's exit status are computed from the same numbers:
 *
 * <ul>
 * <li>{@code pass}: every expectation held (a finding the scenario expects, in {@code expect.cases}, is a
 *     pass);
 * <li>{@code unmet}: an explicit expectation did not hold ({@code r.failures()} non-empty): exit 1;
 * <li>{@code findings}: an invariant broke where the scenario states no expectation (verdict {@code fail}
 *     with no failure): reported, never failed by the matrix;
 * <li>{@code errors}: the run could not complete (verdict {@code error}): exit 3;
 * <li>{@code notApplicable}: the kernel cannot boot the mode (verdict {@code n/a}).
 * </ul>
 *
 * @param runs          every run
 * @param pass          verdict pass
 * @param unmet         unmet explicit expectations
 * @param findings      broken invariants with no expectation about them
 * @param errors        verdict error
 * @param notApplicable verdict n/a
 */
public record MatrixTotals(int runs, int pass, int unmet, int findings, int errors, int notApplicable) {
    /** SPEC §1's exit statuses, as the matrix uses them. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_EXPECTATION_FAILED = 1;
    public static final int EXIT_MODEL_ERROR = 3;

    /** Partitions {@code results}: each run counts in exactly one of the five. */
    public static MatrixTotals of(final List<RunResult> results) {
        int pass = 0;
        int unmet = 0;
        int findings = 0;
        int errors = 0;
        int na = 0;
        for (final RunResult r : results) {
            if (ScenarioRunner.NOT_APPLICABLE.equals(r.verdict())) {
                na++;
            } else if ("error".equals(r.verdict())) {
                errors++;
            } else if (!r.failures().isEmpty()) {
                unmet++;
            } else if (r.passed()) {
                pass++;
            } else {
                findings++;
            }
        }
        return new MatrixTotals(results.size(), pass, unmet, findings, errors, na);
    }

    /**
     * The matrix's exit status: 3 when a run could not complete (the other verdicts may not be trusted), 1
     * when an explicit expectation did not hold, else 0. A finding without an expectation does not fail the
     * matrix: it is what the matrix is for.
     */
    public int exitStatus() {
        if (errors > 0) {
            return EXIT_MODEL_ERROR;
        }
        return unmet > 0 ? EXIT_EXPECTATION_FAILED : EXIT_OK;
    }

    /** {@code 1870 runs: 1480 pass, 0 with unmet expectations, 30 findings without an expectation, ...}. */
    public String text() {
        return runs + " runs: " + pass + " pass, " + unmet + " with unmet expectations, " + findings
                + (findings == 1 ? " finding" : " findings") + " without an expectation, " + errors
                + (errors == 1 ? " error" : " errors") + ", " + notApplicable + " not applicable";
    }

    /** What the exit status is and why, in one sentence. */
    public String exitText() {
        return "Exit status " + exitStatus() + ": the matrix exits 1 when an expectation is unmet and 3 when a run"
                + " has an error; a finding without an expectation is reported, not failed.";
    }
}
