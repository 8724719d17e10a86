package org.ttmsim.scenario;

import java.util.Objects;

/**
 * Bad input in a scenario file, found before anything runs; {@link #getMessage()} is
 * {@code FILE:LINE:COL: message}, ready for the CLI to print after {@code error: }.
 *
 * <p>Checked on purpose: every caller must turn it into exit code 2, never into a stack trace.
 */
public final class ScenarioException extends Exception {

    private final SourcePos pos;
    private final String problem;

    public ScenarioException(final SourcePos pos, final String problem) {
        this(pos, problem, null);
    }

    public ScenarioException(final SourcePos pos, final String problem, final Throwable cause) {
        super(Objects.requireNonNull(pos, "pos") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.pos = pos;
        this.problem = problem;
    }

    /** Where the problem is. */
    public SourcePos pos() {
        return pos;
    }

    /** The file name as given to the parser. */
    public String file() {
        return pos.file();
    }

    /** 1-based line, or 0 when the problem concerns the whole file. */
    public int line() {
        return pos.line();
    }

    /** 1-based column in code points, or 0 when the problem concerns the whole file. */
    public int col() {
        return pos.col();
    }

    /** The message without the location prefix. */
    public String problem() {
        return problem;
    }
}
