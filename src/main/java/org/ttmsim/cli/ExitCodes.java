package org.ttmsim.cli;

/** SPEC §1 exit codes, in one place. */
public final class ExitCodes {
    /** Every run held its expectations. */
    public static final int OK = 0;
    /** Some expectation did not hold. */
    public static final int EXPECTATION_FAILED = 1;
    /** Bad input: the message names file, line and column. */
    public static final int BAD_INPUT = 2;
    /** A run could not complete because of an error in the model itself (verdict {@code error}; SPEC §1 v2). */
    public static final int MODEL_ERROR = 3;

    private ExitCodes() {
    }

    /**
     * The exit code of a batch of runs: 3 if any run could not complete (a model error outranks a
     * failed expectation, since the verdicts of the other runs may not be trusted), else 1 if any failed,
     * else 0.
     */
    public static int of(final java.util.List<org.ttmsim.sim.RunResult> results) {
        if (results.stream().anyMatch(r -> "error".equals(r.verdict()))) {
            return MODEL_ERROR;
        }
        return results.stream().allMatch(org.ttmsim.sim.RunResult::passed) ? OK : EXPECTATION_FAILED;
    }
}
