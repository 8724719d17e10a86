package org.ttmsim.hw;

/**
 * What one {@link EventKind#CACHE_WRITEBACK} event wrote: a run of dirty lines of one frame, under one
 * key, for one cause, with the stamps that let a checker judge each line (a flyweight, Agrona style).
 *
 * <p>Valid only while that event is dispatched: {@link CpuCache#lastWriteback()} returns the same
 * object, refilled for the next run. Copy what you keep.
 *
 * <p>Per line {@code i} of the run: {@link #lineBase} is the stamp of the DRAM version the line was
 * filled from (or of a CPU store that replaced the whole line), {@link #lineStore} the last CPU store
 * into it, {@link #dramBefore} what DRAM held just before the write-back replaced it, and
 * {@link #stamp} the write-back's own stamp. If {@code dramBefore} is newer than {@code lineBase}, DRAM
 * was written by an access the line was not coherent with after the line took its copy, and the
 * write-back replaced that newer data with the line's older bytes: an attribute flip with a live alias or
 * dirty lines and no flush corrupts data (the hazard {@code cpa_flush()} guards against).
 */
public final class CpuCacheWriteback {
    /** Why a dirty line went back to DRAM. */
    public enum Cause {
        /** The set was full: the least recently used line made room for a fill. */
        EVICTION("eviction"),
        /** {@code clflush} of the page ({@link CpuCache#flushPages}, e.g. before a conversion). */
        CLFLUSH("clflush"),
        /** {@code wbinvd}: every line of every key. */
        WBINVD("wbinvd"),
        /** A device (or uncached) access with the line's tag snooped it. */
        SNOOP("snoop"),
        /** SME_COHERENT hardware evicted the other C-bit alias before an access to the address. */
        COHERENCY("coherency");

        private final String label;

        Cause(final String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static final int MAX_LINES = PhysicalMemory.FRAME / EncryptionEngine.LINE;
    private final int[] lineIndex = new int[MAX_LINES];
    private final long[] lineBase = new long[MAX_LINES];
    private final long[] lineStore = new long[MAX_LINES];
    private final long[] dramBefore = new long[MAX_LINES];
    private final long[] stamp = new long[MAX_LINES];
    private long pfn = -1;
    private KeyId key;
    private Cause cause;
    private int count;
    // Summary for the event's sentence, kept as lines are added: lowest and highest line index, and the
    // range of steps of the lines' last CPU stores (stepHi -1: no line was stored into).
    private int indexLo;
    private int indexHi;
    private int stepLo;
    private int stepHi;
    // Entries whose DRAM data was newer than the line's copy (dramBefore newer than lineBase), and the first.
    private int newerDram;
    private int firstNewerDram;
    // A whole frame's run (addFrame): entry i is line i, and its write-back stamp is made when asked for.
    private boolean wholeFrame;
    // Of a whole frame's run: the lines' base (and store) stamps as a progression rather than in lineBase
    // and lineStore, and DRAM's stamps before as one rather than in dramBefore (FrameLineStamps).
    private boolean linesProgression;
    private long baseFirst;
    private long baseStride;
    private boolean storeIsBase;
    private boolean beforeProgression;
    private long beforeFirst;
    private long beforeStride;
    private long frameFirstSeq;
    private int frameStride;
    private int frameStep;

    CpuCacheWriteback() {
    }

    /** Whether a line of ({@code pfn}, {@code key}, {@code cause}) extends this run. */
    boolean continues(final long pfn, final KeyId key, final Cause cause) {
        return count > 0 && count < MAX_LINES && this.pfn == pfn && this.key == key && this.cause == cause;
    }

    void start(final long pfn, final KeyId key, final Cause cause) {
        this.pfn = pfn;
        this.key = key;
        this.cause = cause;
        clear();
    }

    void add(final int index, final long base, final long store, final long before, final long wbStamp) {
        lineIndex[count] = index;
        lineBase[count] = base;
        lineStore[count] = store;
        dramBefore[count] = before;
        stamp[count] = wbStamp;
        if (CpuCacheStamp.newer(before, base)) {
            if (newerDram++ == 0) {
                firstNewerDram = count;
            }
        }
        count++;
        indexLo = Math.min(indexLo, index);
        indexHi = Math.max(indexHi, index);
        if (store != CpuCacheStamp.NEVER) {
            final int step = CpuCacheStamp.step(store);
            stepLo = Math.min(stepLo, step);
            stepHi = Math.max(stepHi, step);
        }
    }

    /**
     * Fills a run just {@link #start started} with all {@link #MAX_LINES} lines of its frame at once, in line
     * order: what {@link #add} of each line does. Line {@code j}'s stamps are {@code base[from + j]},
     * {@code store[from + j]}, DRAM's {@code before.get(j)} (copied: the caller restamps DRAM next), and its
     * write-back's stamp is sequence {@code firstSeq + j * stride} taken at {@code step} (a
     * {@link CpuCacheStamp.Writer#WRITEBACK} with the run's key).
     */
    void addFrame(final long[] base, final long[] store, final int from, final FrameLineStamps before,
            final long firstSeq, final int stride, final int step) {
        System.arraycopy(base, from, lineBase, 0, MAX_LINES);
        System.arraycopy(store, from, lineStore, 0, MAX_LINES);
        linesProgression = false;
        copyBefore(before);
        int lo = stepLo;
        int hi = stepHi;
        for (int j = 0; j < MAX_LINES; j++) {
            final long s = lineStore[j];
            if (s != CpuCacheStamp.NEVER) {
                final int st = CpuCacheStamp.step(s);
                lo = Math.min(lo, st);
                hi = Math.max(hi, st);
            }
        }
        stepLo = lo;
        stepHi = hi;
        countNewerDram();
        wholeFrame(firstSeq, stride, step);
    }

    /**
     * {@link #addFrame} of a frame whose lines' base stamps are the progression from {@code baseFirst} by
     * {@code baseStride} ({@link FrameLineStamps#progression}) and whose store stamps are the same
     * ({@code storeIsBase}, every line stored whole by one operation) or all {@link CpuCacheStamp#NEVER}:
     * the same run, without 64 lines of copies.
     */
    void addProgressionFrame(final long baseFirst, final long baseStride, final boolean storeIsBase,
            final FrameLineStamps before, final long firstSeq, final int stride, final int step) {
        linesProgression = true;
        this.baseFirst = baseFirst;
        this.baseStride = baseStride;
        this.storeIsBase = storeIsBase;
        copyBefore(before);
        if (storeIsBase && baseFirst != CpuCacheStamp.NEVER) {
            // A progression changes only the sequence: every line was stored at the first one's step.
            final int st = CpuCacheStamp.step(baseFirst);
            stepLo = Math.min(stepLo, st);
            stepHi = Math.max(stepHi, st);
        }
        countNewerDram();
        wholeFrame(firstSeq, stride, step);
    }

    /** Takes DRAM's stamps before the write-back: a progression as such, else the 64 values. */
    private void copyBefore(final FrameLineStamps before) {
        beforeProgression = before.isProgression();
        if (beforeProgression) {
            beforeFirst = before.first();
            beforeStride = before.stride();
        } else {
            System.arraycopy(before.materialise(), 0, dramBefore, 0, MAX_LINES);
        }
    }

    /** {@code newerDram} and {@code firstNewerDram} of a whole frame's lines (see {@link #newerDramLines}). */
    private void countNewerDram() {
        if (linesProgression && beforeProgression) {
            // Both sides are progressions (a never-written side has sequence 0 throughout): line j's DRAM data
            // is newer when (b0 - a0) + (db - da) * j > 0, a line in j, so the stale lines are a run at one end.
            final long a0 = CpuCacheStamp.seq(baseFirst);
            final long da = baseFirst == CpuCacheStamp.NEVER ? 0 : baseStride;
            final long b0 = CpuCacheStamp.seq(beforeFirst);
            final long db = beforeFirst == CpuCacheStamp.NEVER ? 0 : beforeStride;
            final long slope = db - da;
            newerDram = positiveTerms(b0 - a0, slope, MAX_LINES);
            firstNewerDram = newerDram == 0 ? -1 : slope > 0 ? MAX_LINES - newerDram : 0;
            return;
        }
        int newer = 0;
        int firstNewer = -1;
        for (int j = 0; j < MAX_LINES; j++) {
            if (CpuCacheStamp.newer(beforeAt(j), baseAt(j))) {
                newer++;
                firstNewer = firstNewer < 0 ? j : firstNewer;
            }
        }
        newerDram = newer;
        firstNewerDram = firstNewer;
    }

    /** How many of {@code c + m * j}, {@code 0 <= j < n}, are positive (they are the last ones if {@code m > 0}, else the first). */
    static int positiveTerms(final long c, final long m, final int n) {
        if (m == 0) {
            return c > 0 ? n : 0;
        }
        if (m > 0) {
            final long first = c > 0 ? 0 : -c / m + 1; // the least j with c + m * j > 0
            return (int) Math.max(0, n - first);
        }
        return c <= 0 ? 0 : (int) Math.min(n, (c - m - 1) / -m); // j < c / -m, rounded up
    }

    private void wholeFrame(final long firstSeq, final int stride, final int step) {
        indexLo = 0;
        indexHi = MAX_LINES - 1;
        count = MAX_LINES;
        wholeFrame = true;
        frameFirstSeq = firstSeq;
        frameStride = stride;
        frameStep = step;
    }

    void clear() {
        count = 0;
        newerDram = 0;
        firstNewerDram = -1;
        wholeFrame = false;
        linesProgression = false;
        beforeProgression = false;
        indexLo = MAX_LINES;
        indexHi = -1;
        stepLo = Integer.MAX_VALUE;
        stepHi = -1;
    }

    /**
     * How many entries found DRAM holding data newer than the line's own copy ({@link #dramBefore} newer
     * than {@link #lineBase}): the write-back replaced newer data with older.
     */
    public int newerDramLines() {
        return newerDram;
    }

    /** The first such entry, or -1 when there is none. */
    public int firstNewerDramLine() {
        return firstNewerDram;
    }

    /** The lowest line index in the run (0..63). */
    int indexLo() {
        return indexLo;
    }

    /** The highest line index in the run (0..63). */
    int indexHi() {
        return indexHi;
    }

    /** The earliest step of a CPU store into a line of the run; meaningful when {@link #storedStepHi} is not -1. */
    int storedStepLo() {
        return stepLo;
    }

    /** The latest step of a CPU store into a line of the run, or -1 if no line was stored into. */
    int storedStepHi() {
        return stepHi;
    }

    public long pfn() {
        return pfn;
    }

    /** The key the lines were tagged with, and were encrypted with on the way to DRAM. */
    public KeyId key() {
        return key;
    }

    public Cause cause() {
        return cause;
    }

    /** Lines in the run (1..64). */
    public int lines() {
        return count;
    }

    /** Which line of the frame entry {@code i} is (0..63): its physical address is pfn*4096 + index*64. */
    public int lineIndex(final int i) {
        return wholeFrame ? check(i) : lineIndex[check(i)];
    }

    /** The physical address of entry {@code i}. */
    public long linePa(final int i) {
        return (pfn << Pte.PAGE_SHIFT) + (long) lineIndex(i) * EncryptionEngine.LINE;
    }

    /** {@link CpuCacheStamp} of the data the line started from (its fill, or a whole-line store). */
    public long lineBase(final int i) {
        return baseAt(check(i));
    }

    /** Entry {@code i}'s base stamp, {@code i} checked already. */
    private long baseAt(final int i) {
        return linesProgression ? FrameLineStamps.progression(baseFirst, baseStride, i) : lineBase[i];
    }

    /** {@link CpuCacheStamp} of the last CPU store into the line. */
    public long lineStore(final int i) {
        final int j = check(i);
        if (linesProgression) {
            return storeIsBase ? baseAt(j) : CpuCacheStamp.NEVER;
        }
        return lineStore[j];
    }

    /** {@link CpuCacheStamp} of DRAM's line just before this write-back replaced it. */
    public long dramBefore(final int i) {
        return beforeAt(check(i));
    }

    /** Entry {@code i}'s DRAM stamp before the write-back, {@code i} checked already. */
    private long beforeAt(final int i) {
        return beforeProgression ? FrameLineStamps.progression(beforeFirst, beforeStride, i) : dramBefore[i];
    }

    /** {@link CpuCacheStamp} of the write-back itself. */
    public long stamp(final int i) {
        if (wholeFrame) {
            return CpuCacheStamp.make(frameFirstSeq + (long) check(i) * frameStride, frameStep,
                    CpuCacheStamp.Writer.WRITEBACK, key);
        }
        return stamp[check(i)];
    }

    private int check(final int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("write-back entry " + i + " of " + count);
        }
        return i;
    }
}
