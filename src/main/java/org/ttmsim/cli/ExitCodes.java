package org.ttmsim.cli;

/** SPEC §1 exit codes, in one place. */
public final class ExitCodes {
    /** Every run held its expectations. */
    public static final int OK = 0;
    /** Some expectation did not hold (or a run could not complete). */
    public static final int EXPECTATION_FAILED = 1;
    /** Bad input: the message names file, line and column. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
