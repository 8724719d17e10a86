package org.ttmsim.hw;

/**
 * A write stamp packed in a {@code long}: when a 64-byte line's data was stored, by which agent and under
 * which key. DRAM keeps one per physical line ({@link MemoryController#dramStamp}): the age of the data
 * it holds (a device write's own stamp; for a cache write-back, the written line's last store, since
 * the data is as old as when it was stored, not as when it reached DRAM). Each {@link CpuCache} line keeps
 * the stamp of the DRAM data it was filled from (its <em>base</em>; a whole-line store replaces it) and
 * of the last CPU store into it. The sequence is one counter per machine, so stamps order every write of
 * the run.
 *
 * <pre>
 *  63                          24 23              8 7      4 3      0
 * +------------------------------+-----------------+--------+--------+
 * |        sequence (40)         |    step (16)    | writer |  key   |
 * +------------------------------+-----------------+--------+--------+
 * </pre>
 *
 * <p>Sequence 0 is "never written" (untouched DRAM). The step is the scenario step running when the
 * stamp was made, saturated at 65535; the key field holds {@code KeyId.ordinal() + 1}, 0 for none.
 */
public final class CpuCacheStamp {
    /** The stamp of a line nobody ever wrote. */
    public static final long NEVER = 0L;
    private static final int SEQ_SHIFT = 24;
    private static final int STEP_SHIFT = 8;
    private static final int WRITER_SHIFT = 4;
    private static final long STEP_MAX = 0xffff;
    private static final KeyId[] KEYS = KeyId.values();
    private static final Writer[] WRITERS = Writer.values();

    /** Who made the data a stamp describes. */
    public enum Writer {
        /** Nobody: untouched memory. */
        NONE("nobody"),
        /** A CPU store into a cache line. */
        CPU_STORE("CPU store"),
        /** An uncached access at the memory controller: device DMA (or a UC/WC CPU store). */
        UNCACHED("device/uncached write"),
        /** A dirty cache line written back to DRAM (the stamp of a write-back event, not of data). */
        WRITEBACK("cache write-back");

        private final String label;

        Writer(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private CpuCacheStamp() {
    }

    /** Packs a stamp; {@code key} may be null. */
    public static long make(final long seq, final int step, final Writer writer, final KeyId key) {
        final long s = Math.min(Math.max(step, 0), STEP_MAX);
        final long k = key == null ? 0 : key.ordinal() + 1;
        return (seq << SEQ_SHIFT) | (s << STEP_SHIFT) | ((long) writer.ordinal() << WRITER_SHIFT) | k;
    }

    /** {@code stamp} with its write sequence {@code n} later (what {@link #make} gives for {@code seq + n}). */
    static long laterBy(final long stamp, final long n) {
        return stamp + (n << SEQ_SHIFT);
    }

    /** The write sequence: larger means later. */
    public static long seq(final long stamp) {
        return stamp >>> SEQ_SHIFT;
    }

    public static int step(final long stamp) {
        return (int) ((stamp >>> STEP_SHIFT) & STEP_MAX);
    }

    public static Writer writer(final long stamp) {
        return WRITERS[(int) ((stamp >>> WRITER_SHIFT) & 0xf)];
    }

    /** The key of the access that made the data, or null when unknown (never written). */
    public static KeyId key(final long stamp) {
        final int k = (int) (stamp & 0xf);
        return k == 0 ? null : KEYS[k - 1];
    }

    /** Whether {@code a} describes data made after {@code b}. */
    public static boolean newer(final long a, final long b) {
        return seq(a) > seq(b);
    }

    /** "CPU store key guest at step 3 (write #17)", for evidence. */
    public static String describe(final long stamp) {
        if (writer(stamp) == Writer.NONE) {
            return "never written";
        }
        final KeyId key = key(stamp);
        final String what = writer(stamp).label() + (key == null ? "" : " key " + key.label()) + " at step "
                + step(stamp);
        return what + " (write #" + seq(stamp) + ")";
    }
}
