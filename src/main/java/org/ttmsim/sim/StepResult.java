package org.ttmsim.sim;

/**
 * What one step did.
 *
 * @param index    1-based step index
 * @param op       the operation key ({@code cpu-read}, ...)
 * @param result   {@code ok} or the errno / signal name
 * @param expected the {@code result:} the scenario asked for (under the file's own design, mode and kernel, the
 *                 implicit {@code ok} of a step without one, where it did not hold), or null
 * @param data     bytes a read returned (null for non-reads or failed reads)
 * @param held     for reads with {@code expect:}, whether the bytes matched; null otherwise
 * @param detail   a human sentence: what happened (placement after a validate, the mapping's address...)
 * @param dataLength how many bytes the read returned; {@code data} keeps the first of them, as many as the run's
 *                 {@link Context#readBytesKept} (default {@link #MAX_DATA_BYTES})
 * @param source   {@code FILE:LINE} of the step in its scenario file (a step of a {@code repeat:} names its
 *                 line inside the block), or null before the runner fills it in
 */
public record StepResult(int index, String op, String result, String expected, byte[] data, Boolean held,
        String detail, long dataLength, String source) {
    /**
     * Bytes of a read its result keeps by default: one page (a 64 MiB read would be 128 MB of hex). The read is
     * judged and compared with its {@code expect:} over every byte; {@link Context#readBytesKept} (and
     * {@code ttmsim run --read-bytes N}) keeps more.
     */
    public static final int MAX_DATA_BYTES = 4096;

    /** The most bytes a result can keep: a Java array's limit. */
    public static final int MAX_KEPT_BYTES = Integer.MAX_VALUE - 8;

    /** A result whose {@code data} (null for a step that reads nothing) holds every byte read. */
    public StepResult(final int index, final String op, final String result, final String expected,
            final byte[] data, final Boolean held, final String detail) {
        this(index, op, result, expected, data, held, detail, data == null ? 0 : data.length, null);
    }

    /** This result, attributed to {@code source} ({@code FILE:LINE}). */
    public StepResult withSource(final String source) {
        return new StepResult(index, op, result, expected, data, held, detail, dataLength, source);
    }

    /** This result, judged against {@code expected} (the implicit {@code ok} of a step without {@code result:}). */
    public StepResult withExpected(final String expected) {
        return new StepResult(index, op, result, expected, data, held, detail, dataLength, source);
    }

    /** {@code FILE:LINE} of {@code pos}; {@code FILE} alone for a step with no line ({@code api}: a {@link Session}'s). */
    public static String sourceOf(final org.ttmsim.scenario.SourcePos pos) {
        return pos.hasLine() ? pos.file() + ":" + pos.line() : pos.file();
    }

    /** Whether {@code data} holds fewer bytes than were read. */
    public boolean truncated() {
        return data != null && data.length < dataLength;
    }

    /** Whether the step's own expectations ({@code result:}, {@code expect:}) held. */
    public boolean expectationsHeld() {
        return (expected == null || expected.equals(result)) && (held == null || held);
    }
}
