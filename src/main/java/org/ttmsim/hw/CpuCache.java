package org.ttmsim.hw;

/**
 * The CPU data caches as software sees them: models the write-back, write-allocate L1-L3 hierarchy of
 * an x86 package as one set-associative array of 64-byte lines, with the tagging rule that makes
 * memory encryption hazardous (reference/hardware-and-costs.md A3, A7; thread-and-kernel.md F7).
 *
 * <p><b>Tags.</b> A line is tagged by (physical line address, key): a C=1 and a C=0 alias of one
 * address are two lines that know nothing of each other, and each holds plaintext of its own key. With
 * SME_COHERENT (CPUID 0x8000001F EAX[10], AMD only) lines are tagged by address alone: the hardware
 * keeps at most one line per address and, before an access with another key, writes back (if dirty)
 * and drops the alias ({@link CpuCacheWriteback.Cause#COHERENCY}). On TDX lines are always tagged by
 * KeyID (A7), whatever the configuration says.
 *
 * <p><b>CPU path.</b> A load hits the line with the same tag, else fills it from DRAM through the
 * engine with the tag's key. A store writes into the line (write-allocate; a partial line is filled
 * first, a whole line is not) and leaves it dirty. A dirty line goes back to DRAM, encrypted with its
 * tag's key, only when evicted, clflushed, wbinvd'd or snooped.
 *
 * <p><b>Device path</b> (x86 DMA is snooped). A device access with key K snoops lines of key K only,
 * with or without SME_COHERENT: before a device read a matching dirty line is written back and stays
 * clean; a device write drops matching lines, writing back a dirty one first unless the write covers
 * the whole line. Lines under another key are not snooped: that is the non-coherent alias hazard.
 * SME_COHERENT makes the CPU side coherent across keys but not DMA: "SME_COHERENT only support cache
 * invalidation at CPU side. All confidential cache lines are still incoherent with DMA devices" (KVM:
 * SVM: Flush when freeing encrypted pages even on SME_COHERENT CPUs, d45829b351ee, v5.18; field case
 * c6). A dirty guest-key line therefore survives a device write of its address with the shared key and
 * is written back over the device's data when evicted. This is hardware, the same on every release.
 *
 * <p><b>Replacement.</b> {@link #DEFAULT_LINES} lines, {@link #MAX_WAYS} ways, set = line address
 * modulo the number of sets, least recently used way first (an empty way before any valid one, lowest
 * way number on ties): no randomness, so a stale dirty line is written back by eviction at a
 * deterministic moment.
 *
 * <p><b>Write-backs</b> are published as {@link EventKind#CACHE_WRITEBACK} events, one per run of
 * lines of one frame, key and cause within one memory-controller operation; {@link #lastWriteback()}
 * gives that run's stamps while the event is dispatched. Nothing here is charged to the cost ledger.
 *
 * <p>Not seen by the functional port: {@link PhysicalMemory}, the host's raw view
 * ({@link Machine#hostRead}) and the oracle read DRAM only; {@link #overlayDirty} is the one functional
 * look into the lines ({@link Machine#hostReadSnooped}).
 *
 * <p>Simplifications: one cache for all CPUs (the model's CPUs share it, as an inclusive LLC would make
 * them behave towards DMA); no non-temporal stores; write-backs are not integrity-checked by the SNP
 * RMP or TDX (those check accesses when they are made, not when lines leave the cache).
 */
public final class CpuCache {
    /** Lines per machine unless configured: 32 KiB, small enough that eviction happens in scenarios. */
    public static final int DEFAULT_LINES = 512;
    /** Associativity (fewer when the cache has fewer lines). */
    public static final int MAX_WAYS = 8;
    /** Largest cache accepted: 64 MiB of lines. */
    public static final int MAX_LINES = 1 << 20;
    private static final int LINE = EncryptionEngine.LINE;
    private static final int LINE_SHIFT = 6;
    private static final int LINES_PER_FRAME = PhysicalMemory.FRAME / LINE;
    private static final long INVALID = -1L;
    private static final KeyId[] KEYS = KeyId.values();

    // Constant after construction.
    private final MemoryController dram;
    private final EventBus bus;
    private final boolean coherent;
    private final int ways;
    private final int setMask;

    // Line state: index = set * ways + way.
    private final long[] tag;
    private final byte[] key;
    private final boolean[] dirty;
    private final long[] base;
    private final long[] store;
    private final long[] lastUse;
    private final byte[] data;
    private long tick;
    private int valid;
    private int dirtyCount;

    // The write-back run being collected, published at the end of each operation.
    private final CpuCacheWriteback run = new CpuCacheWriteback();
    private boolean pending;

    /**
     * @param dram     the memory controller behind the cache (fills, write-backs, stamps)
     * @param bus      where write-backs are published
     * @param lines    a power of two, 1..{@link #MAX_LINES}
     * @param coherent tag by address only (SME_COHERENT on AMD)
     */
    CpuCache(final MemoryController dram, final EventBus bus, final int lines, final boolean coherent) {
        if (!validLines(lines)) {
            throw new IllegalArgumentException("cache lines must be a power of two in 1.." + MAX_LINES + ", found "
                    + lines);
        }
        this.dram = dram;
        this.bus = bus;
        this.coherent = coherent;
        this.ways = Math.min(MAX_WAYS, lines);
        this.setMask = lines / ways - 1;
        this.tag = new long[lines];
        this.key = new byte[lines];
        this.dirty = new boolean[lines];
        this.base = new long[lines];
        this.store = new long[lines];
        this.lastUse = new long[lines];
        this.data = new byte[lines * LINE];
        java.util.Arrays.fill(tag, INVALID);
    }

    /** Whether the cache can be built with {@code lines} lines: a power of two in 1..{@link #MAX_LINES}. */
    public static boolean validLines(final int lines) {
        return lines >= 1 && lines <= MAX_LINES && Integer.bitCount(lines) == 1;
    }

    public int lines() {
        return tag.length;
    }

    public int ways() {
        return ways;
    }

    /** Whether lines are tagged by address only (SME_COHERENT). */
    public boolean coherent() {
        return coherent;
    }

    /** Lines holding data. */
    public int validLines() {
        return valid;
    }

    /** Lines holding data DRAM does not have yet. */
    public int dirtyLines() {
        return dirtyCount;
    }

    // ---------------------------------------------------------------- CPU path (package: the controller)

    /** A CPU load of {@code n} bytes at {@code pa} (inside one frame) through {@code k}. */
    void load(final long pa, final KeyId k, final byte[] dst, final int off, final int n) {
        int done = 0;
        while (done < n) {
            final long addr = pa + done;
            final int inLine = (int) (addr & (LINE - 1));
            final int m = Math.min(n - done, LINE - inLine);
            final int i = lineFor(addr >>> LINE_SHIFT, k, false);
            System.arraycopy(data, i * LINE + inLine, dst, off + done, m);
            done += m;
        }
    }

    /** A CPU store of {@code n} bytes at {@code pa} (inside one frame) through {@code k}, stamped {@code stamp}. */
    void store(final long pa, final KeyId k, final byte[] src, final int off, final int n, final long firstStamp) {
        long stamp = firstStamp;
        int done = 0;
        while (done < n) {
            final long addr = pa + done;
            final int inLine = (int) (addr & (LINE - 1));
            final int m = Math.min(n - done, LINE - inLine);
            final boolean whole = m == LINE;
            final int i = lineFor(addr >>> LINE_SHIFT, k, whole);
            if (dram.writeSeq() > CpuCacheStamp.seq(stamp)) {
                // lineFor wrote a line back (eviction, coherency): that write happened before this store,
                // so the store takes a later sequence number than it.
                stamp = dram.nextStamp(CpuCacheStamp.Writer.CPU_STORE, k);
            }
            System.arraycopy(src, off + done, data, i * LINE + inLine, m);
            if (!dirty[i]) {
                dirty[i] = true;
                dirtyCount++;
            }
            store[i] = stamp;
            if (whole) {
                base[i] = stamp; // nothing of the old copy is left in the line
            }
            done += m;
        }
    }

    /**
     * The line of tag ({@code la}, {@code k}), filled (or, for a whole-line store, just allocated) on a
     * miss after evicting the set's victim; evicts another-key alias first when coherent.
     */
    private int lineFor(final long la, final KeyId k, final boolean wholeStore) {
        final long[] tag = this.tag;
        final byte[] key = this.key;
        final long[] lastUse = this.lastUse;
        final int set = (int) (la & setMask) * ways;
        final int end = set + ways;
        final byte kb = (byte) k.ordinal();
        // One pass finds the hit and, for a miss, the victim: the first empty way (a coherent alias
        // evicted on the way counts as empty), else the least recently used, lowest way on ties.
        int hit = -1;
        int empty = -1;
        int lru = -1;
        long lruUse = Long.MAX_VALUE;
        for (int i = set; i < end; i++) {
            final long t = tag[i];
            if (t == la) {
                if (key[i] == kb) {
                    hit = i;
                    continue;
                }
                if (coherent) {
                    evict(i, CpuCacheWriteback.Cause.COHERENCY);
                    empty = empty < 0 ? i : empty;
                    continue;
                }
            }
            if (t == INVALID) {
                empty = empty < 0 ? i : empty;
            } else if (lastUse[i] < lruUse) {
                lruUse = lastUse[i];
                lru = i;
            }
        }
        if (hit < 0) {
            hit = empty >= 0 ? empty : lru;
            evict(hit, CpuCacheWriteback.Cause.EVICTION);
            allocate(hit, la, k, wholeStore);
        }
        lastUse[hit] = ++tick;
        return hit;
    }

    private void allocate(final int i, final long la, final KeyId k, final boolean wholeStore) {
        tag[i] = la;
        key[i] = (byte) k.ordinal();
        store[i] = CpuCacheStamp.NEVER;
        valid++;
        if (!wholeStore) {
            dram.dramReadLine(la << LINE_SHIFT, k, data, i * LINE);
            // The line's copy is as old as the data it copied: what DRAM held, stored when DRAM's stamp says.
            base[i] = dram.dramStamp(la << LINE_SHIFT);
        }
    }

    // ---------------------------------------------------------------- device path (package: the controller)

    /**
     * The snoop of a device (uncached) access of {@code n} bytes at {@code pa} (inside one frame) with
     * key {@code k}: dirty lines of key {@code k} are written back; a write also drops them (a dirty one
     * is written back first unless the write covers the whole line). Lines of another key are left alone
     * even when the caches are coherent across keys: SME_COHERENT is coherent on the CPU side only, so
     * only a CPU's own uncached (WC/UC) access ({@code cpu}) reaches lines of every key then.
     */
    void snoop(final long pa, final KeyId k, final int n, final boolean write, final boolean cpu) {
        if (valid == 0) {
            return;
        }
        final long first = pa >>> LINE_SHIFT;
        final long last = (pa + n - 1) >>> LINE_SHIFT;
        final byte kb = (byte) k.ordinal();
        final boolean anyKey = cpu && coherent;
        for (long la = first; la <= last; la++) {
            final boolean whole = (la << LINE_SHIFT) >= pa && ((la + 1) << LINE_SHIFT) <= pa + n;
            final int set = (int) (la & setMask) * ways;
            for (int i = set; i < set + ways; i++) {
                if (tag[i] != la || !(anyKey || key[i] == kb)) {
                    continue;
                }
                if (!write) {
                    if (dirty[i]) {
                        base[i] = writeBack(i, CpuCacheWriteback.Cause.SNOOP); // now in step with DRAM
                    }
                } else if (whole) {
                    discard(i);
                } else {
                    evict(i, CpuCacheWriteback.Cause.SNOOP);
                }
            }
        }
    }

    // ---------------------------------------------------------------- flushes

    /**
     * {@code clflush} of every line of {@code pages} frames from {@code pfn}, every key: dirty lines are
     * written back, all are dropped. Used before an encryption-attribute change
     * ({@code __set_memory_enc_pgtable()} step 1).
     */
    public void flushPages(final long pfn, final long pages) {
        final long lo = pfn * LINES_PER_FRAME;
        final long hi = (pfn + pages) * LINES_PER_FRAME;
        if (valid > 0 && holdsAny(lo, hi)) {
            if (pages * LINES_PER_FRAME > tag.length) {
                scan(lo, hi, CpuCacheWriteback.Cause.CLFLUSH);
            } else {
                for (long la = lo; la < hi; la++) {
                    final int set = (int) (la & setMask) * ways;
                    for (int i = set; i < set + ways; i++) {
                        if (tag[i] == la) {
                            evict(i, CpuCacheWriteback.Cause.CLFLUSH);
                        }
                    }
                }
            }
        }
        publish();
    }

    /**
     * Whether a line with an address in [{@code lo}, {@code hi}) is cached under any key: one pass over the
     * ways of the sets such lines map to (consecutive sets, wrapping), with no branch taken until one is
     * found. Most conversions flush frames none of whose lines is cached; this spares them the ordered
     * walk, which costs a set's ways per line.
     */
    private boolean holdsAny(final long lo, final long hi) {
        final long[] tag = this.tag;
        final long n = hi - lo;
        if (n * ways >= tag.length) {
            return anyInRange(tag, 0, tag.length, lo, n);
        }
        final int from = (int) (lo & setMask) * ways;
        final int to = from + (int) n * ways;
        return to <= tag.length ? anyInRange(tag, from, to, lo, n)
                : anyInRange(tag, from, tag.length, lo, n) || anyInRange(tag, 0, to - tag.length, lo, n);
    }

    /** Whether some {@code tag[i]}, {@code from <= i < to}, lies in [{@code lo}, {@code lo + n}) ({@link #INVALID} never does). */
    private static boolean anyInRange(final long[] tag, final int from, final int to, final long lo, final long n) {
        for (int i = from; i < to; i++) {
            if (Long.compareUnsigned(tag[i] - lo, n) < 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code wbinvd}: every dirty line of every key written back, every line dropped. */
    public void wbinvd() {
        scan(0, Long.MAX_VALUE, CpuCacheWriteback.Cause.WBINVD);
        publish();
    }

    /** Evicts every line with an address in [lo, hi), way by way so that a frame's lines come together. */
    private void scan(final long lo, final long hi, final CpuCacheWriteback.Cause cause) {
        for (int w = 0; w < ways; w++) {
            for (int i = w; i < tag.length; i += ways) {
                if (tag[i] != INVALID && tag[i] >= lo && tag[i] < hi) {
                    evict(i, cause);
                }
            }
        }
    }

    private void evict(final int i, final CpuCacheWriteback.Cause cause) {
        if (tag[i] == INVALID) {
            return;
        }
        if (dirty[i]) {
            writeBack(i, cause);
        }
        tag[i] = INVALID;
        valid--;
    }

    /** Drops a line without writing it back: its bytes are being overwritten whole. */
    private void discard(final int i) {
        if (dirty[i]) {
            dirty[i] = false;
            dirtyCount--;
        }
        tag[i] = INVALID;
        valid--;
    }

    /**
     * Writes a dirty line back under its own key; returns the write-back's stamp. DRAM's line then holds
     * data as old as the line's last store (its newest byte), not as old as the write-back: what a checker
     * compares is when data was stored, not when it reached DRAM.
     */
    private long writeBack(final int i, final CpuCacheWriteback.Cause cause) {
        final long la = tag[i];
        final KeyId k = KEYS[key[i]];
        final long stamp = dram.nextStamp(CpuCacheStamp.Writer.WRITEBACK, k);
        final long dataAge = CpuCacheStamp.newer(base[i], store[i]) ? base[i] : store[i];
        final long before = dram.dramStampLine(la << LINE_SHIFT, dataAge);
        final long pfn = la / LINES_PER_FRAME;
        if (!pending || !run.continues(pfn, k, cause)) {
            publish(); // the previous run's bytes reach DRAM, then its event goes out
            run.start(pfn, k, cause);
            pending = true;
        }
        dram.dramQueueLine(la << LINE_SHIFT, k, data, i * LINE);
        run.add((int) (la % LINES_PER_FRAME), base[i], store[i], before, stamp);
        dirty[i] = false;
        dirtyCount--;
        return stamp;
    }

    // ---------------------------------------------------------------- publication

    /** Emits the collected write-back run, if any. Called at the end of every operation. */
    void publish() {
        dram.drainWrites();
        if (!pending) {
            return;
        }
        pending = false;
        if (bus.active()) {
            bus.emit(EventKind.CACHE_WRITEBACK, run.pfn(), run.key(), describe(run));
        }
    }

    /**
     * The run of the {@link EventKind#CACHE_WRITEBACK} event being dispatched (or the last one): the
     * stamps a checker judges from. Refilled by the next write-back.
     */
    public CpuCacheWriteback lastWriteback() {
        return run;
    }

    /**
     * The event's sentence: summarised from the run now (the flyweight is refilled by the next
     * write-back), formatted when read.
     */
    private static Event.Detail describe(final CpuCacheWriteback r) {
        int lo = LINES_PER_FRAME;
        int hi = -1;
        int stepLo = Integer.MAX_VALUE;
        int stepHi = -1;
        for (int j = 0; j < r.lines(); j++) {
            lo = Math.min(lo, r.lineIndex(j));
            hi = Math.max(hi, r.lineIndex(j));
            if (r.lineStore(j) != CpuCacheStamp.NEVER) {
                stepLo = Math.min(stepLo, CpuCacheStamp.step(r.lineStore(j)));
                stepHi = Math.max(stepHi, CpuCacheStamp.step(r.lineStore(j)));
            }
        }
        final int lines = r.lines();
        final CpuCacheWriteback.Cause cause = r.cause();
        final KeyId key = r.key();
        final int first = lo;
        final int last = hi;
        final int storedFrom = stepLo;
        final int storedTo = stepHi;
        return () -> {
            final StringBuilder sb = new StringBuilder(96).append(cause.label()).append(" wrote back ")
                    .append(lines).append(lines == 1 ? " dirty line" : " dirty lines").append(" in +0x")
                    .append(Integer.toHexString(first * LINE)).append("..+0x")
                    .append(Integer.toHexString(last * LINE + LINE - 1))
                    .append(" encrypted with key ").append(key.label());
            if (storedTo >= 0) {
                sb.append(", stored at step ").append(storedFrom);
                if (storedTo != storedFrom) {
                    sb.append("..").append(storedTo);
                }
            }
            return sb.toString();
        };
    }

    // ---------------------------------------------------------------- queries (no state change)

    /** Whether the line of tag ({@code pa}'s line, {@code k}) is cached. */
    public boolean holds(final long pa, final KeyId k) {
        return find(pa >>> LINE_SHIFT, k) >= 0;
    }

    /** Whether the line of tag ({@code pa}'s line, {@code k}) is cached and dirty. */
    public boolean isDirty(final long pa, final KeyId k) {
        final int i = find(pa >>> LINE_SHIFT, k);
        return i >= 0 && dirty[i];
    }

    /** {@link CpuCacheStamp} of the data the line started from, or {@link CpuCacheStamp#NEVER} if absent. */
    public long lineBase(final long pa, final KeyId k) {
        final int i = find(pa >>> LINE_SHIFT, k);
        return i >= 0 ? base[i] : CpuCacheStamp.NEVER;
    }

    /** {@link CpuCacheStamp} of the last CPU store into the line, or {@link CpuCacheStamp#NEVER}. */
    public long lineStore(final long pa, final KeyId k) {
        final int i = find(pa >>> LINE_SHIFT, k);
        return i >= 0 ? store[i] : CpuCacheStamp.NEVER;
    }

    /**
     * Functional read: copies into {@code dst} the bytes of dirty lines of tag key {@code k} that overlap
     * [{@code pa}, {@code pa + len}), leaving other bytes alone. For {@link KeyId#NONE} this turns a raw
     * DRAM view into what a plaintext access would see. No state, LRU, event or cost changes.
     */
    public void overlayDirty(final long pa, final KeyId k, final byte[] dst, final int off, final int len) {
        if (dirtyCount == 0 || len <= 0) {
            return;
        }
        final long first = pa >>> LINE_SHIFT;
        final long last = (pa + len - 1) >>> LINE_SHIFT;
        for (long la = first; la <= last; la++) {
            final int i = find(la, k);
            if (i < 0 || !dirty[i]) {
                continue;
            }
            final long from = Math.max(pa, la << LINE_SHIFT);
            final long to = Math.min(pa + len, (la + 1) << LINE_SHIFT);
            System.arraycopy(data, i * LINE + (int) (from - (la << LINE_SHIFT)), dst, off + (int) (from - pa),
                    (int) (to - from));
        }
    }

    private int find(final long la, final KeyId k) {
        final int set = (int) (la & setMask) * ways;
        final byte kb = (byte) k.ordinal();
        for (int i = set; i < set + ways; i++) {
            if (tag[i] == la && key[i] == kb) {
                return i;
            }
        }
        return -1;
    }
}
