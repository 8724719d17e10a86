package org.ttmsim.scenario;

import java.util.Objects;

/**
 * A place in a scenario file: file name as given, 1-based line and 1-based column (in code points).
 *
 * <p>Line and column 0 mean "the whole file" (an I/O error, say), and {@link #toString()} then prints
 * the file name alone.
 */
public record SourcePos(String file, int line, int col) {

    public SourcePos {
        Objects.requireNonNull(file, "file");
        if (line < 0 || col < 0) {
            throw new IllegalArgumentException("line and col must be >= 0, got " + line + ":" + col);
        }
    }

    /** A position that names only the file. */
    public static SourcePos wholeFile(final String file) {
        return new SourcePos(file, 0, 0);
    }

    /** True when this position points into the file rather than at the file as a whole. */
    public boolean hasLine() {
        return line > 0;
    }

    /** {@code FILE:LINE:COL}, or {@code FILE} when there is no line. */
    @Override
    public String toString() {
        return hasLine() ? file + ":" + line + ":" + col : file;
    }
}
