package org.ttmsim.hw;

/**
 * The {@link CpuCacheStamp}s of one frame's 64 lines (DRAM's, in {@link MemoryController}; no kernel
 * function: the model's bookkeeping of when each line's data was made). Stamps made by one whole-frame
 * operation form an arithmetic progression in their write sequence (line {@code j}: the first stamp with
 * its sequence {@code j * stride} later, {@link CpuCacheStamp#laterBy}, every other field alike), and are
 * kept as that progression until a single line changes; then all 64 are written out. Either way
 * {@link #get} answers the same.
 *
 * <p>A clear_page() of every page a pool hands out writes back a whole frame of lines stamped in such a
 * progression; keeping two numbers instead of 64 spares the copy and half a kilobyte per frame ever
 * written back.
 */
final class FrameLineStamps {
    static final int LINES = PhysicalMemory.FRAME / EncryptionEngine.LINE;

    /** The 64 stamps, or null while they are the progression below. */
    private long[] lines;
    private long first;
    private long stride;

    /** All 64 lines {@link CpuCacheStamp#NEVER}. */
    FrameLineStamps() {
    }

    /** Line {@code j}'s stamp (0..63). */
    long get(final int j) {
        final long[] l = lines;
        return l != null ? l[j] : progression(first, stride, j);
    }

    /** Sets line {@code j}'s stamp, writing the progression out first. */
    void set(final int j, final long stamp) {
        materialise()[j] = stamp;
    }

    /** Every line's stamp from {@code first}, each {@code stride} sequence numbers after the one before. */
    void setProgression(final long first, final long stride) {
        this.lines = null;
        this.first = first;
        this.stride = stride;
    }

    /** Whether the stamps are kept as a progression ({@link #first}, {@link #stride}). */
    boolean isProgression() {
        return lines == null;
    }

    /** Line 0's stamp, when {@link #isProgression}. */
    long first() {
        return first;
    }

    /** Sequence numbers between consecutive lines, when {@link #isProgression}. */
    long stride() {
        return stride;
    }

    /** The 64 stamps as an array this object keeps and writes to (writing the progression out if need be). */
    long[] materialise() {
        if (lines == null) {
            final long[] l = new long[LINES];
            for (int j = 0; j < LINES; j++) {
                l[j] = progression(first, stride, j);
            }
            lines = l;
            first = 0; // no longer read: cleared, so the fields say only what the stamps are
            stride = 0;
        }
        return lines;
    }

    /**
     * Line {@code j} of the progression from {@code first} by {@code stride}: {@link CpuCacheStamp#NEVER}
     * throughout when {@code first} is (untouched memory has no sequence to count from).
     */
    static long progression(final long first, final long stride, final int j) {
        return first == CpuCacheStamp.NEVER ? CpuCacheStamp.NEVER : CpuCacheStamp.laterBy(first, stride * j);
    }
}
