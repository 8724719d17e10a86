package org.ttmsim.cli;

/** The exit codes (docs/SCENARIOS.md, "Verdicts and exit codes"), in one place. */
public final class ExitCodes {
    /** Every run held its expectations. */
    public static final int OK = 0;
    /** Some expectation did not hold. */
    public static final int EXPECTATION_FAILED = 1;
    /** Bad input: the message names file, line and column. */
    public static final int BAD_INPUT = 2;
    /** A run could not complete because of an error in the model itself (verdict {@code error}). */
    public static final int MODEL_ERROR = 3;

    private ExitCodes() {
    }

    /**
     * The exit code of a batch of runs, {@code run}'s and {@code matrix}'s alike: 3 if any run could not
     * complete (a model error outranks a failed expectation, since the verdicts of the other runs may not be
     * trusted), else 1 if any verdict is fail, else 0 ({@link org.ttmsim.report.MatrixTotals#exitStatus}).
     */
    public static int of(final java.util.List<org.ttmsim.sim.RunResult> results) {
        return org.ttmsim.report.MatrixTotals.of(results).exitStatus();
    }
}
