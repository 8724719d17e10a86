package org.ttmsim.sim;

/**
 * How to run a scenario.
 *
 * @param design     design id overriding the file's, or null
 * @param mode       encryption mode id overriding {@code machine.encryption}, or null
 * @param kernel     kernel release ({@code v6.9}) overriding the file's {@code kernel:}, or null (then the
 *                   file's, else the design's own release)
 * @param keepTrace  whether to keep the events as trace lines in the result
 * @param traceLimit at most this many trace lines are kept (0 = all), the rest summarised in one line
 * @param readBytesKept how many bytes of each read its step result keeps ({@link Context#readBytesKept};
 *                   {@code run --read-bytes})
 */
public record RunOptions(String design, String mode, String kernel, boolean keepTrace, int traceLimit,
        long readBytesKept) {
    public RunOptions(final String design, final String mode, final String kernel, final boolean keepTrace,
            final int traceLimit) {
        this(design, mode, kernel, keepTrace, traceLimit, Context.DEFAULT_READ_BYTES_KEPT);
    }

    public RunOptions(final String design, final String mode, final boolean keepTrace) {
        this(design, mode, null, keepTrace, 0);
    }

    public RunOptions(final String design, final String mode, final String kernel, final boolean keepTrace) {
        this(design, mode, kernel, keepTrace, 0);
    }

    public static RunOptions defaults() {
        return new RunOptions(null, null, false);
    }
}
