package org.ttmsim.hw;

import java.util.Arrays;

/**
 * The memory controller: every CPU and device access to a physical address passes through here and
 * through the {@link EncryptionEngine} with the key its translation selected. Models the data path of
 * AMD SME/SEV (AES engine in the UMC) and Intel TME-MK/TDX, plus the integrity checks of the SEV-SNP
 * RMP and TDX, which stop a private/shared mismatch instead of returning garbage.
 *
 * <p>Two ports:
 * <ul>
 * <li>{@link #cpuRead}/{@link #cpuWrite}: the CPU's cacheable (WB) loads and stores, which go through
 * the {@link CpuCache} in front of this controller;</li>
 * <li>{@link #read}/{@link #write}: uncached accesses at the controller by a device (DMA), and
 * {@link #cpuUncachedRead}/{@link #cpuUncachedWrite}: a CPU's UC/WC loads and stores. Both snoop the cache
 * for lines of the same tag first (x86 DMA is coherent); only the CPU's own accesses reach lines of
 * another key when SME_COHERENT makes the CPU side coherent ({@link CpuCache#snoop}).</li>
 * </ul>
 *
 * <p>Works on whole 64-byte lines: a partial uncached write is a read-modify-write of the line under the
 * writer's key, as the hardware does. Results are {@link #OK} or {@link #GUEST_FATAL}.
 *
 * <p>Every write to DRAM and every CPU store takes the next value of one write sequence; DRAM keeps the
 * {@link CpuCacheStamp} of each line's last write ({@link #dramStamp}), so checkers can tell whether a
 * write-back replaced newer data.
 *
 * <p><b>Write queue.</b> Lines the cache writes back are stamped at once but their bytes wait in a
 * one-frame queue (lines of one frame and one key), encrypted together when the queue drains: when a
 * line of another frame or key arrives, before any read or uncached write of DRAM that could see the
 * queued frame, and when a write-back run is published ({@link CpuCache#publish}: at the end of every
 * operation, and before the next run's first line is queued), before its event is dispatched. So
 * nothing reads DRAM while lines wait, the functional port included; a listener of a write-back event
 * finds that run's bytes (and all earlier ones) in DRAM. A page's worth of evictions costs one engine
 * call instead of 64. Encrypting a line does not depend on its neighbours (each has its own tweak),
 * so the bytes are the same as line by line.
 */
public final class MemoryController {
    public static final int OK = 0;
    /** The access was stopped by SEV-SNP / TDX hardware (#VC, #VE, RMP #NPF). */
    public static final int GUEST_FATAL = -1;
    private static final int LINE = EncryptionEngine.LINE;
    private static final int FRAME = PhysicalMemory.FRAME;
    private static final int LINES_PER_FRAME = FRAME / LINE;
    private static final byte[] ZERO_FRAME = Zeros.atLeast(FRAME); // never written: zeros to encrypt or compare
    private static final long ALL_LINES = -1L;

    // Constant after construction.
    private final PhysicalMemory memory;
    private final EncryptionEngine engine;
    private final FrameStates frameStates;
    private final boolean integrity;
    private final EventBus bus;
    private final CpuCache cache;

    // Scratch and state of the data path.
    private final byte[] lines = new byte[FRAME];
    // The write queue: plaintext of queued lines at their offset in frame queuedPfn, one bit per line.
    private final byte[] queued = new byte[FRAME];
    private long queuedPfn = -1;
    private KeyId queuedKey;
    private long queuedLines;
    /** The queued frame is whole and all zeros: {@code queued} does not hold its bytes. */
    private boolean queuedZero;
    private final PfnTable<FrameLineStamps> dramStamps = new PfnTable<>();
    private long writeSeq;
    private long lastStampPfn = -1;
    private FrameLineStamps lastStamps;
    // The frame the cache's line port touched last (frames are never freed, so the reference stays good).
    private long lastFramePfn = -1;
    private byte[] lastFrame;

    /** A controller with a default, non-coherent cache and a private bus (for tests of the data path). */
    public MemoryController(final PhysicalMemory memory, final EncryptionEngine engine, final FrameStates frameStates,
            final EncryptionMode mode) {
        this(memory, engine, frameStates, mode, false, CpuCache.DEFAULT_LINES, new EventBus(false));
    }

    /**
     * @param coherentCaches CPU cache lines tagged by address only
     *                       ({@link MachineConfig#cachesCoherentAcrossAliases()})
     * @param cacheLines     size of the {@link CpuCache} (a power of two)
     * @param bus            where cache write-backs are published
     */
    public MemoryController(final PhysicalMemory memory, final EncryptionEngine engine, final FrameStates frameStates,
            final EncryptionMode mode, final boolean coherentCaches, final int cacheLines, final EventBus bus) {
        this(memory, engine, frameStates, mode, coherentCaches, cacheLines, bus, true);
    }

    /** As above; {@code wholeFrames} false makes the cache take every frame line by line (for tests). */
    MemoryController(final PhysicalMemory memory, final EncryptionEngine engine, final FrameStates frameStates,
            final EncryptionMode mode, final boolean coherentCaches, final int cacheLines, final EventBus bus,
            final boolean wholeFrames) {
        this.memory = memory;
        this.engine = engine;
        this.frameStates = frameStates;
        this.integrity = mode.hasIntegrity();
        this.bus = bus;
        this.cache = new CpuCache(this, bus, cacheLines, coherentCaches, wholeFrames);
    }

    /** The CPU caches in front of this controller. */
    public CpuCache cache() {
        return cache;
    }

    /** Whether SNP/TDX hardware allows an access with {@code key} to {@code pfn}. */
    public boolean integrityAllows(final long pfn, final KeyId key) {
        if (!integrity) {
            return true;
        }
        final boolean privateAccess = key != KeyId.NONE;
        return privateAccess == frameStates.isPrivate(pfn);
    }

    // ---------------------------------------------------------------- CPU port (cached)

    /** A CPU load of {@code len} bytes at {@code pa} through {@code key}, via the cache. */
    public int cpuRead(final long pa, final KeyId key, final byte[] dst, final int off, final int len) {
        try {
            int done = 0;
            while (done < len) {
                final long addr = pa + done;
                if (!integrityAllows(addr >>> Pte.PAGE_SHIFT, key)) {
                    return GUEST_FATAL;
                }
                final int n = Math.min(len - done, FRAME - (int) (addr & (FRAME - 1)));
                cache.load(addr, key, dst, off + done, n);
                done += n;
            }
            return OK;
        } finally {
            cache.publish();
        }
    }

    /** A CPU store of {@code len} bytes at {@code pa} through {@code key}, into the cache. */
    public int cpuWrite(final long pa, final KeyId key, final byte[] src, final int off, final int len) {
        final long stamp = nextStamp(CpuCacheStamp.Writer.CPU_STORE, key);
        try {
            int done = 0;
            while (done < len) {
                final long addr = pa + done;
                if (!integrityAllows(addr >>> Pte.PAGE_SHIFT, key)) {
                    return GUEST_FATAL;
                }
                final int n = Math.min(len - done, FRAME - (int) (addr & (FRAME - 1)));
                cache.store(addr, key, src, off + done, n, stamp);
                done += n;
            }
            return OK;
        } finally {
            cache.publish();
        }
    }

    // ---------------------------------------------------------------- uncached port (device DMA)

    /** An uncached read of {@code len} bytes at {@code pa} as seen through {@code key} (device DMA). */
    public int read(final long pa, final KeyId key, final byte[] dst, final int off, final int len) {
        return uncachedRead(pa, key, dst, off, len, false);
    }

    /**
     * A CPU load through a WC/UC mapping: as {@link #read}, but the snoop is the CPU's own, so with
     * SME_COHERENT it reaches lines of every key ({@link CpuCache#snoop}).
     */
    public int cpuUncachedRead(final long pa, final KeyId key, final byte[] dst, final int off, final int len) {
        return uncachedRead(pa, key, dst, off, len, true);
    }

    private int uncachedRead(final long pa, final KeyId key, final byte[] dst, final int off, final int len,
            final boolean cpu) {
        try {
            int done = 0;
            while (done < len) {
                final long addr = pa + done;
                final long pfn = addr >>> Pte.PAGE_SHIFT;
                if (!integrityAllows(pfn, key)) {
                    return GUEST_FATAL;
                }
                final int inFrame = (int) (addr & (FRAME - 1));
                final int n = Math.min(len - done, FRAME - inFrame);
                cache.snoop(addr, key, n, false, cpu);
                drainWrites();
                final int first = inFrame & ~(LINE - 1);
                final int span = ((inFrame + n + LINE - 1) & ~(LINE - 1)) - first;
                if (memory.zeroKey(pfn) == key) {
                    // Zeros written under this very key: decrypting them gives zeros back.
                    Arrays.fill(dst, off + done, off + done + n, (byte) 0);
                    done += n;
                    continue;
                }
                final byte[] frame = memory.frameIfPresent(pfn);
                if (frame == null) {
                    Arrays.fill(lines, 0, span, (byte) 0);
                    engine.decrypt(key, (pfn << Pte.PAGE_SHIFT) + first, lines, 0, lines, 0, span);
                } else {
                    engine.decrypt(key, (pfn << Pte.PAGE_SHIFT) + first, frame, first, lines, 0, span);
                }
                System.arraycopy(lines, inFrame - first, dst, off + done, n);
                done += n;
            }
            return OK;
        } finally {
            cache.publish();
        }
    }

    /** An uncached write of {@code len} bytes at {@code pa} through {@code key} (device DMA). */
    public int write(final long pa, final KeyId key, final byte[] src, final int off, final int len) {
        return uncachedWrite(pa, key, src, off, len, true, false);
    }

    /**
     * A CPU store through a WC/UC mapping: as {@link #write}, but the snoop is the CPU's own, so with
     * SME_COHERENT it reaches lines of every key ({@link CpuCache#snoop}).
     */
    public int cpuUncachedWrite(final long pa, final KeyId key, final byte[] src, final int off, final int len) {
        return uncachedWrite(pa, key, src, off, len, true, true);
    }

    /**
     * {@link #write} without the SEV-SNP/TDX check: the host's own store, which the RMP/SEAM check elsewhere.
     * The host's store is a CPU's: with SME_COHERENT its snoop reaches lines of every key.
     */
    public void writeUnchecked(final long pa, final KeyId key, final byte[] src, final int off, final int len) {
        uncachedWrite(pa, key, src, off, len, false, true);
    }

    private int uncachedWrite(final long pa, final KeyId key, final byte[] src, final int off, final int len,
            final boolean checked, final boolean cpu) {
        final long stamp = nextStamp(CpuCacheStamp.Writer.UNCACHED, key);
        try {
            int done = 0;
            while (done < len) {
                final long addr = pa + done;
                final long pfn = addr >>> Pte.PAGE_SHIFT;
                if (checked && !integrityAllows(pfn, key)) {
                    return GUEST_FATAL;
                }
                final int inFrame = (int) (addr & (FRAME - 1));
                final int n = Math.min(len - done, FRAME - inFrame);
                cache.snoop(addr, key, n, true, cpu);
                drainWrites();
                writeInFrame(pfn, inFrame, key, src, off + done, n);
                stampLines(pfn, inFrame, n, stamp);
                done += n;
            }
            return OK;
        } finally {
            cache.publish();
        }
    }

    private void writeInFrame(final long pfn, final int inFrame, final KeyId key, final byte[] src, final int off,
            final int n) {
        final byte[] frame = memory.frame(pfn);
        final long framePa = pfn << Pte.PAGE_SHIFT;
        final int first = inFrame & ~(LINE - 1);
        final int end = (inFrame + n + LINE - 1) & ~(LINE - 1);
        final int span = end - first;
        if (inFrame != first || inFrame + n != end) {
            // Partial line: the controller reads the line, merges, and writes it back.
            engine.decrypt(key, framePa + first, frame, first, lines, 0, span);
        }
        System.arraycopy(src, off, lines, inFrame - first, n);
        engine.encrypt(key, framePa + first, lines, 0, frame, first, span);
    }

    private void stampLines(final long pfn, final int inFrame, final int n, final long stamp) {
        final long[] s = stamps(pfn).materialise();
        for (int l = inFrame / LINE; l <= (inFrame + n - 1) / LINE; l++) {
            s[l] = stamp;
        }
    }

    // ---------------------------------------------------------------- write stamps

    /**
     * The {@link CpuCacheStamp} of DRAM's line holding {@code pa}: the last uncached write or cache
     * write-back to it, or {@link CpuCacheStamp#NEVER}.
     */
    public long dramStamp(final long pa) {
        final FrameLineStamps s = dramStamps.get(pa >>> Pte.PAGE_SHIFT);
        return s == null ? CpuCacheStamp.NEVER : s.get((int) ((pa & (FRAME - 1)) / LINE));
    }

    /** The last value the write sequence took (0 before any write). */
    public long writeSeq() {
        return writeSeq;
    }

    /** Takes the next write sequence for a write made now by {@code writer} with {@code key}. */
    long nextStamp(final CpuCacheStamp.Writer writer, final KeyId key) {
        return CpuCacheStamp.make(++writeSeq, bus.step(), writer, key);
    }

    /** Takes {@code n} consecutive write sequences at once; returns the first. */
    long takeSeq(final int n) {
        final long first = writeSeq + 1;
        writeSeq += n;
        return first;
    }

    /** DRAM's line stamps of frame {@code pfn}, made if absent: a write-back's stamping of its lines. */
    FrameLineStamps lineStamps(final long pfn) {
        return stamps(pfn);
    }

    private FrameLineStamps stamps(final long pfn) {
        if (pfn != lastStampPfn) {
            FrameLineStamps s = dramStamps.get(pfn);
            if (s == null) {
                s = new FrameLineStamps();
                dramStamps.put(pfn, s);
            }
            lastStampPfn = pfn;
            lastStamps = s;
        }
        return lastStamps;
    }

    // ---------------------------------------------------------------- line port of the cache

    /** Fills one line for the cache: DRAM's bytes at line-aligned {@code linePa} decrypted with {@code key}. */
    void dramReadLine(final long linePa, final KeyId key, final byte[] dst, final int dstOff) {
        final long pfn = linePa >>> Pte.PAGE_SHIFT;
        if (pfn == queuedPfn) {
            drainWrites(); // the line may be waiting in the queue (an alias written back just now)
        }
        final byte[] frame;
        if (pfn == lastFramePfn) {
            frame = lastFrame;
        } else if (memory.zeroKey(pfn) == key) {
            // A cleared frame read through the key that cleared it: zeros, no engine work.
            Arrays.fill(dst, dstOff, dstOff + LINE, (byte) 0);
            return;
        } else {
            frame = memory.frameIfPresent(pfn);
        }
        if (frame == null) {
            engine.decrypt(key, linePa, ZERO_FRAME, 0, dst, dstOff, LINE);
        } else {
            engine.decrypt(key, linePa, frame, (int) (linePa & (FRAME - 1)), dst, dstOff, LINE);
        }
    }

    /**
     * Stamps DRAM's line at line-aligned {@code linePa} for a write-back made now, with the age of the data
     * written back ({@code stamp}: when it was stored); its bytes follow through {@link #dramQueueLine}.
     *
     * @return the stamp DRAM's line had before
     */
    long dramStampLine(final long linePa, final long stamp) {
        final FrameLineStamps s = stamps(linePa >>> Pte.PAGE_SHIFT);
        final int line = (int) (linePa & (FRAME - 1)) / LINE;
        final long before = s.get(line);
        s.set(line, stamp);
        return before;
    }

    /**
     * Writes one line back for the cache, to be encrypted with {@code key}: queues the bytes (see the
     * write queue above), draining first a queue of another frame or key.
     */
    void dramQueueLine(final long linePa, final KeyId key, final byte[] src, final int srcOff) {
        final long pfn = linePa >>> Pte.PAGE_SHIFT;
        final int inFrame = (int) (linePa & (FRAME - 1));
        if (queuedLines != 0 && (pfn != queuedPfn || key != queuedKey)) {
            drainWrites();
        }
        if (queuedZero) {
            Arrays.fill(queued, (byte) 0); // the zero frame's lines, now that one of them changes
            queuedZero = false;
        }
        queuedPfn = pfn;
        queuedKey = key;
        queuedLines |= 1L << (inFrame / LINE);
        System.arraycopy(src, srcOff, queued, inFrame, LINE);
    }

    /**
     * Queues all 64 lines of frame {@code pfn} at once, from {@code src} in line order: what 64
     * {@link #dramQueueLine} calls in line order do.
     */
    void dramQueueFrame(final long pfn, final KeyId key, final byte[] src, final int srcOff) {
        queueWholeFrame(pfn, key, false);
        System.arraycopy(src, srcOff, queued, 0, FRAME);
    }

    /** {@link #dramQueueFrame} of a frame whose 64 lines are all zeros, without their bytes. */
    void dramQueueZeroFrame(final long pfn, final KeyId key) {
        queueWholeFrame(pfn, key, true);
    }

    /** The queue now holds all of frame {@code pfn} under {@code key} (another frame or key drained first). */
    private void queueWholeFrame(final long pfn, final KeyId key, final boolean zero) {
        if (queuedLines != 0 && (pfn != queuedPfn || key != queuedKey)) {
            drainWrites();
        }
        queuedPfn = pfn;
        queuedKey = key;
        queuedLines = ALL_LINES;
        queuedZero = zero;
    }

    /**
     * Fills the cache with all 64 lines of frame {@code pfn} read through {@code key}, as 64
     * {@link #dramReadLine} calls in line order do (a frame cleared under this key: zeros at once), and
     * returns DRAM's line stamps of the frame ({@link #dramStamp}), or null if none was ever stamped.
     */
    FrameLineStamps dramFill(final long pfn, final KeyId key, final byte[] dst, final int dstOff) {
        if (pfn == queuedPfn) {
            drainWrites();
        }
        final KeyId zeroKey = pfn == lastFramePfn ? null : memory.zeroKey(pfn);
        if (zeroKey == key) {
            Arrays.fill(dst, dstOff, dstOff + FRAME, (byte) 0);
        } else if (zeroKey != null) {
            // A frame cleared under another key: its ciphertext, E(zeroKey, PA, 0), read through this key.
            // Made here rather than kept in DRAM (PhysicalMemory's materialise): a sweep through a C=0 alias
            // of a cleared buffer reads each frame once, and keeping them would hold the whole buffer.
            final long framePa = pfn << Pte.PAGE_SHIFT;
            engine.encrypt(zeroKey, framePa, ZERO_FRAME, 0, lines, 0, FRAME);
            engine.decrypt(key, framePa, lines, 0, dst, dstOff, FRAME);
        } else {
            // The 64 line reads in one engine call: the same bytes (each line keeps its own tweak, its
            // PA), without 64 calls' worth of fixed AES cost. The queue was drained above, and nothing
            // here queues, so every line reads the same frame (or zeros, if never written).
            final byte[] frame = pfn == lastFramePfn ? lastFrame : memory.frameIfPresent(pfn);
            engine.decrypt(key, pfn << Pte.PAGE_SHIFT, frame == null ? ZERO_FRAME : frame, 0, dst, dstOff, FRAME);
        }
        return dramStamps.get(pfn);
    }

    /**
     * Whether all 64 lines of frame {@code pfn} read through {@code key} are zeros without engine work: a
     * frame cleared under this very key, or never written and read in plaintext. Drains the write queue
     * first if it holds the frame, as a fill would.
     */
    boolean readsZeros(final long pfn, final KeyId key) {
        if (pfn == queuedPfn) {
            drainWrites();
        }
        if (pfn == lastFramePfn) {
            return false;
        }
        final KeyId zeroKey = memory.zeroKey(pfn);
        if (zeroKey != null) {
            return zeroKey == key;
        }
        return key == KeyId.NONE && memory.frameIfPresent(pfn) == null;
    }

    /** DRAM's line stamps of frame {@code pfn} ({@link #dramStamp}), or null if none was ever stamped. */
    FrameLineStamps dramStampsIfAny(final long pfn) {
        return dramStamps.get(pfn);
    }

    /**
     * Encrypts the queued lines into their frame, one engine call per run of adjacent lines. A whole
     * frame of zeros is recorded as such ({@link PhysicalMemory#setZero}) rather than encrypted.
     */
    void drainWrites() {
        long m = queuedLines;
        if (m == 0) {
            return;
        }
        final long pfn = queuedPfn;
        if (m == ALL_LINES && (queuedZero || Zeros.isZero(queued, 0, FRAME))) {
            memory.setZero(pfn, queuedKey);
            if (pfn == lastFramePfn) {
                lastFramePfn = -1;
                lastFrame = null;
            }
            queuedLines = 0;
            queuedPfn = -1;
            queuedZero = false;
            return;
        }
        if (pfn != lastFramePfn) {
            lastFrame = memory.frame(pfn);
            lastFramePfn = pfn;
        }
        final long framePa = pfn << Pte.PAGE_SHIFT;
        while (m != 0) {
            final int first = Long.numberOfTrailingZeros(m);
            final int end = first + Long.numberOfTrailingZeros(~(m >>> first)); // one past the run
            engine.encrypt(queuedKey, framePa + (long) first * LINE, queued, first * LINE, lastFrame, first * LINE,
                    (end - first) * LINE);
            m = end == LINES_PER_FRAME ? 0 : m & (-1L << end);
        }
        queuedLines = 0;
        queuedPfn = -1;
    }
}
