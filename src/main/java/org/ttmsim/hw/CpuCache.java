package org.ttmsim.hw;

/**
 * The CPU data caches as software sees them: models the write-back, write-allocate L1-L3 hierarchy of
 * an x86 package as one set-associative array of 64-byte lines, with the tagging rule that makes
 * memory encryption hazardous: without SME_COHERENT, C=1 and C=0 lines of one address are not kept
 * coherent, so the kernel flushes before a conversion ({@code amd_enc_cache_flush_required()} in
 * arch/x86/mm/mem_encrypt_amd.c; TME-MK/TDX lines are tagged by KeyID).
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
 * <p><b>Whole frames.</b> With {@link #LINES_PER_FRAME} sets (the default geometry) a frame's 64 lines fall
 * one in each set, and a kernel {@code clear_page()}, a {@code memset} of a coherent allocation or a
 * user's sweep over a buffer touches a frame's lines in set order. {@link #store} and {@link #load} of a
 * whole frame take a shorter road when per-way summaries ({@code wayValid}, {@code wayFrame}, the bounds
 * of each way's LRU ticks) show that every line of the frame hits one way, or misses and would evict the
 * same way in every set: the lines are then handled in the same order, with the same stamps, write-backs
 * and events as one at a time, without looking through each set. Anything else goes line by line. A way
 * filled or stored whole keeps its lines implied until single lines are looked at: their tags (line
 * {@code j} of the frame) and LRU ticks (64 consecutive ones), and their stamps, which form a progression
 * (one stamp for all 64 lines, or one every second sequence number when each line's store follows a
 * victim's write-back) kept as first stamp and stride; its write-back hands the progression to the run
 * and to DRAM's line stamps ({@link FrameLineStamps}) without 64 lines of copies.
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
    /** {@code wayFrame} of a way whose lines are not one frame's, in set order, under one key. */
    private static final long NOT_ONE_FRAME = -1L;
    private static final KeyId[] KEYS = KeyId.values();

    // Constant after construction.
    private final MemoryController dram;
    private final EventBus bus;
    private final boolean coherent;
    private final int ways;
    private final int sets;
    private final int setShift;
    private final int setMask;
    /** A frame's lines are exactly one way's (one per set): the whole-frame road is open. */
    private final boolean frameIsWay;

    // Line state: index = way * sets + set, so that one way's lines of consecutive sets are adjacent.
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

    // Per way, summaries of the line state for the whole-frame road (they decide only which road, never an
    // outcome): valid lines; the frame whose lines the way holds in set order under wayKey, when the
    // whole-frame road put them there and no line of the way changed since (else NOT_ONE_FRAME); a lower
    // and an upper bound of the LRU ticks of its valid lines.
    private final int[] wayValid;
    private final long[] wayFrame;
    private final byte[] wayKey;
    private final long[] wayOldest;
    private final long[] wayNewest;
    /**
     * Per way: every byte of its 64 lines is zero, as the whole-frame road stored or filled them (a
     * {@code clear_page()}, a load of a cleared frame through the key that cleared it), and their bytes in
     * {@code data} were not written: whatever is there is stale. {@link #materialiseZero} writes the zeros
     * out before anything reads a line's bytes or changes part of the way; a write-back of the whole way
     * tells DRAM "zeros under this key" without bytes ({@link MemoryController#dramQueueZeroFrame}).
     */
    private final boolean[] wayZero;
    /** Per way: its dirty lines. */
    private final int[] wayDirty;
    /**
     * Per way: the base and store stamps of its 64 lines are not in {@code base} and {@code store} but a
     * progression, as a whole-frame store or fill made them: line {@code j}'s base is
     * {@link FrameLineStamps#progression}({@code wayBaseFirst}, {@code wayBaseStride}, j) and its store the
     * same ({@code wayStoreIsBase}) or {@link CpuCacheStamp#NEVER}. {@link #materialiseStamps} writes them out
     * before a single line's stamps are read or changed; a write-back of the whole way hands the progression
     * on to the run and to DRAM's stamps.
     */
    private final boolean[] wayStampsProgression;
    private final long[] wayBaseFirst;
    private final long[] wayBaseStride;
    private final boolean[] wayStoreIsBase;
    /**
     * Per way: its 64 lines' tags and ticks are not in {@code tag} and {@code lastUse} but implied, as the
     * whole-frame roads place them: line {@code j} holds line {@code j} of {@code wayFrame} and was used at
     * tick {@code wayTick0 + j}. {@link #materialiseLines} writes them out before anything looks at single
     * lines ({@link #lazyWays} of them, so that the line roads check one number).
     */
    private final boolean[] wayLinesLazy;
    private final long[] wayTick0;
    private int lazyWays;

    // Whole-frame operations per road (tests): a hit, a fill of an empty way, a way written back whole,
    // a way's lines evicted one by one.
    static final int ROADS = 4;
    private final long[] roads = new long[ROADS];

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
        this(dram, bus, lines, coherent, true);
    }

    /** As above; {@code wholeFrames} false closes the whole-frame road (tests compare the two roads). */
    CpuCache(final MemoryController dram, final EventBus bus, final int lines, final boolean coherent,
            final boolean wholeFrames) {
        if (!validLines(lines)) {
            throw new IllegalArgumentException("cache lines must be a power of two in 1.." + MAX_LINES + ", found "
                    + lines);
        }
        this.dram = dram;
        this.bus = bus;
        this.coherent = coherent;
        this.ways = Math.min(MAX_WAYS, lines);
        this.sets = lines / ways;
        this.setShift = Integer.numberOfTrailingZeros(sets);
        this.setMask = sets - 1;
        this.frameIsWay = wholeFrames && sets == LINES_PER_FRAME;
        this.tag = new long[lines];
        this.key = new byte[lines];
        this.dirty = new boolean[lines];
        this.base = new long[lines];
        this.store = new long[lines];
        this.lastUse = new long[lines];
        this.data = new byte[lines * LINE];
        java.util.Arrays.fill(tag, INVALID);
        this.wayValid = new int[ways];
        this.wayFrame = new long[ways];
        this.wayKey = new byte[ways];
        this.wayOldest = new long[ways];
        this.wayNewest = new long[ways];
        this.wayZero = new boolean[ways];
        this.wayDirty = new int[ways];
        this.wayStampsProgression = new boolean[ways];
        this.wayLinesLazy = new boolean[ways];
        this.wayTick0 = new long[ways];
        this.wayBaseFirst = new long[ways];
        this.wayBaseStride = new long[ways];
        this.wayStoreIsBase = new boolean[ways];
        java.util.Arrays.fill(wayFrame, NOT_ONE_FRAME);
    }

    /** Whole-frame operations per road taken (hit, empty way, whole write-back, line evictions): for tests. */
    long[] roadsTaken() {
        return roads.clone();
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
        if (n == PhysicalMemory.FRAME && frameIsWay && loadFrame(pa >>> Pte.PAGE_SHIFT, k, dst, off)) {
            return;
        }
        materialiseAllLines();
        int done = 0;
        while (done < n) {
            final long addr = pa + done;
            final int inLine = (int) (addr & (LINE - 1));
            final int m = Math.min(n - done, LINE - inLine);
            final int i = lineFor(addr >>> LINE_SHIFT, k, false);
            materialiseZero(i >>> setShift);
            System.arraycopy(data, i * LINE + inLine, dst, off + done, m);
            done += m;
        }
    }

    /** A CPU store of {@code n} bytes at {@code pa} (inside one frame) through {@code k}, stamped {@code stamp}. */
    void store(final long pa, final KeyId k, final byte[] src, final int off, final int n, final long firstStamp) {
        if (n == PhysicalMemory.FRAME && frameIsWay && storeFrame(pa >>> Pte.PAGE_SHIFT, k, src, off, firstStamp)) {
            return;
        }
        materialiseAllLines();
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
            materialiseZero(i >>> setShift);
            materialiseStamps(i >>> setShift);
            System.arraycopy(src, off + done, data, i * LINE + inLine, m);
            if (!dirty[i]) {
                dirty[i] = true;
                dirtyCount++;
                wayDirty[i >>> setShift]++;
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
        final int set = (int) (la & setMask);
        final int end = set + (ways << setShift);
        final byte kb = (byte) k.ordinal();
        // One pass finds the hit and, for a miss, the victim: the first empty way (a coherent alias
        // evicted on the way counts as empty), else the least recently used, lowest way on ties.
        int hit = -1;
        int empty = -1;
        int lru = -1;
        long lruUse = Long.MAX_VALUE;
        for (int i = set; i < end; i += sets) {
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
        used(hit >>> setShift);
        return hit;
    }

    /** Way {@code w} got a line this tick, or one of its lines was used: its tick bounds follow. */
    private void used(final int w) {
        wayNewest[w] = tick;
    }

    private void allocate(final int i, final long la, final KeyId k, final boolean wholeStore) {
        materialiseLines(i >>> setShift);
        materialiseStamps(i >>> setShift); // the way's other lines keep their stamps as values; this one is set here
        tag[i] = la;
        key[i] = (byte) k.ordinal();
        store[i] = CpuCacheStamp.NEVER;
        valid++;
        final int w = i >>> setShift;
        if (wayValid[w]++ == 0) {
            wayOldest[w] = tick + 1; // the tick the line is about to be used with
        }
        wayFrame[w] = NOT_ONE_FRAME;
        materialiseZero(w); // the way's other lines keep their zeros as bytes; this one is filled or stored
        if (!wholeStore) {
            dram.dramReadLine(la << LINE_SHIFT, k, data, i * LINE);
            // The line's copy is as old as the data it copied: what DRAM held, stored when DRAM's stamp says.
            base[i] = dram.dramStamp(la << LINE_SHIFT);
        }
    }

    // ---------------------------------------------------------------- whole frames (see the class comment)

    /**
     * A load of the whole frame {@code pfn} through {@code k}, if every line of it hits one way or misses
     * with the same victim way in every set; false (nothing done) otherwise. Each line goes as
     * {@link #lineFor} would take it, in set order: the victim written back if dirty, the line filled
     * from DRAM, its tick taken; the bytes are copied out at the end.
     */
    private boolean loadFrame(final long pfn, final KeyId k, final byte[] dst, final int off) {
        final byte kb = (byte) k.ordinal();
        final int hit = hitWay(pfn, kb);
        final int w = frameWay(pfn, hit);
        if (w == NO_ROAD) {
            return false;
        }
        final int first = w << setShift;
        if (hit < 0) {
            final long la = pfn * LINES_PER_FRAME;
            if (writesBackWhole(w)) {
                roads[2]++;
                // The way's 64 lines are written back and refilled in place: as many valid lines as before,
                // none dirty any more (a fill is clean).
                writeBackWay(w, dram.takeSeq(LINES_PER_FRAME), 1, CpuCacheWriteback.Cause.EVICTION);
                java.util.Arrays.fill(dirty, first, first + LINES_PER_FRAME, false);
                dirtyCount -= LINES_PER_FRAME;
                wayDirty[w] = 0;
            } else {
                roads[wayValid[w] == 0 ? 1 : 3]++;
                if (wayDirty[w] == 0) {
                    // Clean lines leave without a write-back: evicting them only drops them, and the fill
                    // below writes every tag of the way.
                    valid -= wayValid[w];
                } else {
                    materialiseLines(w);
                    for (int j = 0; j < LINES_PER_FRAME; j++) {
                        if (tag[first + j] != INVALID) {
                            evictLine(first + j, CpuCacheWriteback.Cause.EVICTION); // valid--, each
                        }
                    }
                }
                valid += LINES_PER_FRAME; // every line of the way is filled below
            }
            // Each line's fill reads only its own line of DRAM, which no write-back above touched.
            final FrameLineStamps dramLines;
            if (dram.readsZeros(pfn, k)) {
                wayZero[w] = true; // the 64 lines hold zeros, their bytes left unwritten
                dramLines = dram.dramStampsIfAny(pfn);
            } else {
                dramLines = dram.dramFill(pfn, k, data, first * LINE);
                wayZero[w] = false;
            }
            java.util.Arrays.fill(key, first, first + LINES_PER_FRAME, kb);
            placeFrame(w);
            // A fill's base is DRAM's line stamp, its store never.
            if (dramLines == null) {
                stampsProgression(w, CpuCacheStamp.NEVER, 0, false);
            } else if (dramLines.isProgression()) {
                stampsProgression(w, dramLines.first(), dramLines.stride(), false);
            } else {
                System.arraycopy(dramLines.materialise(), 0, base, first, LINES_PER_FRAME);
                java.util.Arrays.fill(store, first, first + LINES_PER_FRAME, CpuCacheStamp.NEVER);
                wayStampsProgression[w] = false;
            }
            oneFrame(w, pfn, kb);
        } else {
            roads[0]++;
            useFrame(w);
            oneFrame(w, pfn, kb); // as it was, but its 64 lines now the newest: its tick bounds exact
        }
        if (wayZero[w]) {
            java.util.Arrays.fill(dst, off, off + PhysicalMemory.FRAME, (byte) 0);
        } else {
            System.arraycopy(data, first * LINE, dst, off, PhysicalMemory.FRAME);
        }
        return true;
    }

    /**
     * A store of the whole frame {@code pfn} through {@code k}, on the conditions of {@link #loadFrame}.
     * Each line as {@link #store} takes it: the victim written back if dirty, the line allocated without a
     * fill, its tick, a new stamp whenever a write-back came after the stamp in hand, dirty; the bytes are
     * copied in at the end (a write-back reads only its own victim's bytes before).
     */
    private boolean storeFrame(final long pfn, final KeyId k, final byte[] src, final int off, final long firstStamp) {
        final byte kb = (byte) k.ordinal();
        final int hit = hitWay(pfn, kb);
        final int w = frameWay(pfn, hit);
        if (w == NO_ROAD) {
            return false;
        }
        final int first = w << setShift;
        final long la = pfn * LINES_PER_FRAME;
        if (hit < 0 && writesBackWhole(w)) {
            // Line by line this alternates: victim j written back, then line j stored with a new stamp.
            roads[2]++;
            final long seq = dram.takeSeq(2 * LINES_PER_FRAME);
            writeBackWay(w, seq, 2, CpuCacheWriteback.Cause.EVICTION);
            final long stamp0 = CpuCacheStamp.make(seq + 1, bus.step(), CpuCacheStamp.Writer.CPU_STORE, k);
            if (wayKey[w] != kb) { // the victim's lines all have its key (one frame's): the same, or set them
                java.util.Arrays.fill(key, first, first + LINES_PER_FRAME, kb);
            }
            placeFrame(w);
            // Line j stored whole at sequence seq + 2j + 1: dirty already, and stays so.
            stampsProgression(w, stamp0, 2, true);
            copyIn(w, src, off);
            oneFrame(w, pfn, kb);
            return true;
        }
        roads[hit >= 0 ? 0 : wayValid[w] == 0 ? 1 : 3]++;
        long stamp = firstStamp;
        if (hit >= 0 || wayValid[w] == 0) {
            // No line is evicted on the way, so no write-back comes between two lines' stores: all 64 take the
            // stamp in hand (a new one if a write-back came after it, as in store()).
            if (dram.writeSeq() > CpuCacheStamp.seq(stamp)) {
                stamp = dram.nextStamp(CpuCacheStamp.Writer.CPU_STORE, k);
            }
            if (hit >= 0) {
                useFrame(w);
            } else {
                for (int j = 0; j < LINES_PER_FRAME; j++) {
                    allocate(first + j, la + j, k, true);
                }
                placeFrame(w); // the ticks, one per line in set order (allocate takes none)
            }
            java.util.Arrays.fill(dirty, first, first + LINES_PER_FRAME, true);
            dirtyCount += LINES_PER_FRAME - wayDirty[w];
            wayDirty[w] = LINES_PER_FRAME;
            stampsProgression(w, stamp, 0, true);
            copyIn(w, src, off);
            oneFrame(w, pfn, kb);
            return true;
        }
        materialiseLines(w);
        for (int j = 0; j < LINES_PER_FRAME; j++) {
            final int i = first + j;
            if (hit < 0) {
                if (tag[i] != INVALID) {
                    evictLine(i, CpuCacheWriteback.Cause.EVICTION);
                }
                allocate(i, la + j, k, true);
            }
            lastUse[i] = ++tick;
            if (dram.writeSeq() > CpuCacheStamp.seq(stamp)) {
                stamp = dram.nextStamp(CpuCacheStamp.Writer.CPU_STORE, k); // as in store()
            }
            if (!dirty[i]) {
                dirty[i] = true;
                dirtyCount++;
                wayDirty[i >>> setShift]++;
            }
            store[i] = stamp;
            base[i] = stamp;
        }
        copyIn(w, src, off);
        oneFrame(w, pfn, kb); // filled, or hit: its 64 lines the newest either way
        return true;
    }

    /**
     * Way {@code w}'s 64 lines take the next 64 ticks in set order, holding the frame {@link #oneFrame} names
     * next: kept as {@link #wayLinesLazy}, their tags and ticks written out only when single lines are looked at.
     */
    private void placeFrame(final int w) {
        if (!wayLinesLazy[w]) {
            wayLinesLazy[w] = true;
            lazyWays++;
        }
        wayTick0[w] = tick + 1;
        tick += LINES_PER_FRAME;
    }

    /** Way {@code w}'s 64 lines used in set order, each with the next tick. */
    private void useFrame(final int w) {
        if (wayLinesLazy[w]) {
            wayTick0[w] = tick + 1;
            tick += LINES_PER_FRAME;
            return;
        }
        final int first = w << setShift;
        final long t0 = tick;
        for (int j = 0; j < LINES_PER_FRAME; j++) {
            lastUse[first + j] = t0 + 1 + j;
        }
        tick = t0 + LINES_PER_FRAME;
    }

    /** Writes way {@code w}'s tags and ticks into {@code tag} and {@code lastUse} if they are only implied. */
    private void materialiseLines(final int w) {
        if (wayLinesLazy[w]) {
            final int first = w << setShift;
            final long la = wayFrame[w] * LINES_PER_FRAME;
            final long t0 = wayTick0[w];
            for (int j = 0; j < LINES_PER_FRAME; j++) {
                tag[first + j] = la + j;
                lastUse[first + j] = t0 + j;
            }
            wayLinesLazy[w] = false;
            lazyWays--;
        }
    }

    /** {@link #materialiseLines} of every way: before anything looks at single lines. */
    private void materialiseAllLines() {
        if (lazyWays != 0) {
            for (int w = 0; w < ways; w++) {
                materialiseLines(w);
            }
        }
    }

    /**
     * Writes out everything the whole-frame roads keep in compact form (tags, ticks and stamps of whole
     * ways), so that equal cache states have equal fields whatever roads built them: the explorer's
     * fingerprint hashes fields. Changes nothing one can observe.
     */
    public void writeOutCompactWays() {
        materialiseAllLines();
        for (int w = 0; w < ways; w++) {
            materialiseStamps(w);
        }
    }

    /** A whole frame's bytes into way {@code w}'s lines, noting whether they are all zero ({@code wayZero}). */
    private void copyIn(final int w, final byte[] src, final int off) {
        final int at = (w << setShift) * LINE;
        final boolean zero = Zeros.isZero(src, off, PhysicalMemory.FRAME);
        if (!zero) {
            System.arraycopy(src, off, data, at, PhysicalMemory.FRAME);
        }
        wayZero[w] = zero; // zeros: the bytes are left unwritten (materialiseZero)
    }

    /**
     * Writes way {@code w}'s zeros into {@code data} if the way holds them only as {@link #wayZero}: before
     * anything reads a line's bytes or changes part of the way.
     */
    private void materialiseZero(final int w) {
        if (wayZero[w]) {
            final int at = (w << setShift) * LINE;
            java.util.Arrays.fill(data, at, at + sets * LINE, (byte) 0);
            wayZero[w] = false;
        }
    }

    /** Way {@code w}'s lines' stamps from now on the progression from {@code first} by {@code stride} ({@link #wayStampsProgression}). */
    private void stampsProgression(final int w, final long first, final long stride, final boolean storeIsBase) {
        wayStampsProgression[w] = true; // the arrays' old values are not read again (writeOutCompactWays)
        wayBaseFirst[w] = first;
        wayBaseStride[w] = stride;
        wayStoreIsBase[w] = storeIsBase;
    }

    /** Writes way {@code w}'s stamps into {@code base} and {@code store} if it keeps them as a progression. */
    private void materialiseStamps(final int w) {
        if (wayStampsProgression[w]) {
            final int first = w << setShift;
            for (int j = 0; j < sets; j++) {
                final long b = FrameLineStamps.progression(wayBaseFirst[w], wayBaseStride[w], j);
                base[first + j] = b;
                store[first + j] = wayStoreIsBase[w] ? b : CpuCacheStamp.NEVER;
            }
            wayStampsProgression[w] = false;
        }
    }

    /** Line {@code i}'s base stamp, wherever it is kept. */
    private long baseAt(final int i) {
        final int w = i >>> setShift;
        return wayStampsProgression[w] ? FrameLineStamps.progression(wayBaseFirst[w], wayBaseStride[w], i & setMask)
                : base[i];
    }

    /** Line {@code i}'s store stamp, wherever it is kept. */
    private long storeAt(final int i) {
        final int w = i >>> setShift;
        if (wayStampsProgression[w]) {
            return wayStoreIsBase[w] ? baseAt(i) : CpuCacheStamp.NEVER;
        }
        return store[i];
    }

    /**
     * Whether evicting way {@code w} (a victim way) writes back one frame's 64 lines as one run of its
     * own: the way holds one frame, every line dirty, and no run of that frame is being collected.
     */
    private boolean writesBackWhole(final int w) {
        if (wayFrame[w] == NOT_ONE_FRAME
                || pending && run.continues(wayFrame[w], KEYS[wayKey[w]], CpuCacheWriteback.Cause.EVICTION)) {
            return false;
        }
        return wayDirty[w] == LINES_PER_FRAME;
    }

    /**
     * Writes back way {@code w}'s frame as {@link #writeBack} does line by line for 64 evictions in set
     * order (see {@link #writesBackWhole}): the previous run goes out, the lines are queued for DRAM, DRAM's
     * line stamps take each line's data age, and line {@code j}'s write-back takes sequence
     * {@code firstSeq + j * stride} (a store between two write-backs takes the sequence between). The
     * lines are left dirty and valid for the caller to reuse.
     */
    private void writeBackWay(final int w, final long firstSeq, final int stride, final CpuCacheWriteback.Cause cause) {
        final long victim = wayFrame[w];
        final KeyId vk = KEYS[wayKey[w]];
        final int first = w << setShift;
        publish();
        run.start(victim, vk, cause);
        pending = true;
        final FrameLineStamps dramLines = dram.lineStamps(victim);
        if (wayZero[w]) {
            dram.dramQueueZeroFrame(victim, vk);
        } else {
            dram.dramQueueFrame(victim, vk, data, first * LINE);
        }
        if (wayStampsProgression[w]) {
            run.addProgressionFrame(wayBaseFirst[w], wayBaseStride[w], wayStoreIsBase[w], dramLines, firstSeq, stride,
                    bus.step());
            // The data's age, the newer of base and store, is the base: the store is the same or never.
            dramLines.setProgression(wayBaseFirst[w], wayBaseStride[w]);
            return;
        }
        run.addFrame(base, store, first, dramLines, firstSeq, stride, bus.step());
        final long[] d = dramLines.materialise();
        for (int j = 0; j < LINES_PER_FRAME; j++) {
            final long b = base[first + j];
            final long s = store[first + j];
            d[j] = CpuCacheStamp.newer(b, s) ? b : s; // the data's age
        }
    }

    /** The whole-frame roads' answer when the lines would not all go alike. */
    private static final int NO_ROAD = -1;
    /** {@link #hitWay}'s answer when no line of the frame is cached under the key: the lines all miss. */
    private static final int ALL_MISS = -2;

    /**
     * The way holding every line of ({@code pfn}, key {@code kb}), {@link #ALL_MISS} when none of them is
     * cached (nor, with coherent caches, any alias of them), or {@link #NO_ROAD} when only some are or an
     * alias would have to be evicted on the way.
     */
    private int hitWay(final long pfn, final byte kb) {
        final long lo = pfn * LINES_PER_FRAME;
        int hit = ALL_MISS;
        for (int w = 0; w < ways; w++) {
            if (wayValid[w] == 0) {
                continue;
            }
            if (wayFrame[w] != NOT_ONE_FRAME) {
                if (wayFrame[w] == pfn) {
                    if (wayKey[w] == kb) {
                        hit = w;
                    } else if (coherent) {
                        return NO_ROAD; // lineFor would evict the alias first
                    }
                }
            } else if (anyInRange(tag, w << setShift, (w + 1) << setShift, lo, LINES_PER_FRAME)) {
                return NO_ROAD;
            }
        }
        return hit;
    }

    /**
     * The one way a whole-frame access takes: the way that holds the frame ({@code hit} from
     * {@link #hitWay}), else the victim way; {@link #NO_ROAD} when the lines would go different ways.
     */
    private int frameWay(final long pfn, final int hit) {
        if (hit == NO_ROAD) {
            return NO_ROAD;
        }
        return hit >= 0 ? hit : victimWay(pfn);
    }

    /**
     * The way that every set would evict for a line of {@code pfn}, if it is the same way in every set:
     * the first way, if it is empty in every set and every way before it is full; else, every way full,
     * the way whose lines are all older than every other way's; {@link #NO_ROAD} otherwise, or when that
     * way holds an alias of the frame (its write-back would meet the fill). Call after {@link #hitWay}
     * found no line.
     */
    private int victimWay(final long pfn) {
        for (int w = 0; w < ways; w++) {
            if (wayValid[w] < sets) {
                return wayValid[w] == 0 ? w : NO_ROAD;
            }
        }
        int oldest = oldestWay();
        if (oldest < 0) {
            // The bounds may only be loose (a line used since, lines gone): make them exact and look again.
            tightenBounds();
            oldest = oldestWay();
            if (oldest < 0) {
                return NO_ROAD;
            }
        }
        return wayFrame[oldest] == pfn ? NO_ROAD : oldest;
    }

    /** The way whose lines are all older than every other way's, by the tick bounds; -1 if they do not show one. */
    private int oldestWay() {
        // One pass: the way with the oldest lower bound (the lowest on ties) and the next oldest lower bound.
        int oldest = 0;
        long next = Long.MAX_VALUE;
        for (int w = 1; w < ways; w++) {
            final long o = wayOldest[w];
            if (o < wayOldest[oldest]) {
                next = wayOldest[oldest];
                oldest = w;
            } else if (o < next) {
                next = o;
            }
        }
        return wayNewest[oldest] < next ? oldest : -1;
    }

    /** Sets every way's tick bounds to the oldest and newest tick of its lines (every way full: see the caller). */
    private void tightenBounds() {
        materialiseAllLines();
        for (int w = 0; w < ways; w++) {
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            final int first = w << setShift;
            for (int i = first; i < first + sets; i++) {
                final long u = lastUse[i];
                lo = Math.min(lo, u);
                hi = Math.max(hi, u);
            }
            wayOldest[w] = lo;
            wayNewest[w] = hi;
        }
    }

    /** Way {@code w} now holds frame {@code pfn}'s lines in set order under key {@code kb}, just used. */
    private void oneFrame(final int w, final long pfn, final byte kb) {
        wayValid[w] = sets;
        wayFrame[w] = pfn;
        wayKey[w] = kb;
        wayOldest[w] = tick - (LINES_PER_FRAME - 1);
        wayNewest[w] = tick;
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
        materialiseAllLines();
        final long first = pa >>> LINE_SHIFT;
        final long last = (pa + n - 1) >>> LINE_SHIFT;
        final byte kb = (byte) k.ordinal();
        final boolean anyKey = cpu && coherent;
        final int span = ways << setShift;
        for (long la = first; la <= last; la++) {
            final boolean whole = (la << LINE_SHIFT) >= pa && ((la + 1) << LINE_SHIFT) <= pa + n;
            final int set = (int) (la & setMask);
            for (int i = set; i < set + span; i += sets) {
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
                final int span = ways << setShift;
                for (long p = pfn; p < pfn + pages; p++) {
                    if (frameIsWay && flushedWhole(p)) {
                        continue;
                    }
                    materialiseAllLines();
                    for (long la = p * LINES_PER_FRAME; la < (p + 1) * LINES_PER_FRAME; la++) {
                        final int set = (int) (la & setMask);
                        for (int i = set; i < set + span; i += sets) {
                            if (tag[i] == la) {
                                evict(i, CpuCacheWriteback.Cause.CLFLUSH);
                            }
                        }
                    }
                }
            }
        }
        publish();
    }

    /**
     * The clflush of frame {@code p}'s 64 lines done whole, when the way summaries show what the line by
     * line walk would do: no line of {@code p} cached (nothing to do), or all of them in one way holding
     * the frame alone, every line dirty (one write-back run, as 64 write-backs in set order make) or every
     * line clean (dropped). False (nothing done) otherwise: lines of the frame in two ways (aliases under
     * two keys, whose write-backs interleave) or in a way of mixed lines, some dirty lines, or a run of
     * this frame being collected.
     */
    private boolean flushedWhole(final long p) {
        int w = -1;
        for (int v = 0; v < ways; v++) {
            if (wayValid[v] == 0) {
                continue;
            }
            if (wayFrame[v] == p) {
                if (w >= 0) {
                    return false;
                }
                w = v;
            } else if (wayFrame[v] == NOT_ONE_FRAME
                    && anyInRange(tag, v << setShift, (v + 1) << setShift, p * LINES_PER_FRAME, LINES_PER_FRAME)) {
                return false;
            }
        }
        if (w < 0) {
            return true;
        }
        if (wayDirty[w] == LINES_PER_FRAME) {
            if (pending && run.continues(p, KEYS[wayKey[w]], CpuCacheWriteback.Cause.CLFLUSH)) {
                return false;
            }
            writeBackWay(w, dram.takeSeq(LINES_PER_FRAME), 1, CpuCacheWriteback.Cause.CLFLUSH);
        } else if (wayDirty[w] != 0) {
            return false;
        }
        final int first = w << setShift;
        if (wayLinesLazy[w]) { // its lines leave: nothing left to imply
            wayLinesLazy[w] = false;
            lazyWays--;
        }
        java.util.Arrays.fill(tag, first, first + LINES_PER_FRAME, INVALID);
        java.util.Arrays.fill(dirty, first, first + LINES_PER_FRAME, false);
        dirtyCount -= wayDirty[w];
        wayDirty[w] = 0;
        valid -= LINES_PER_FRAME;
        wayValid[w] = 0;
        wayFrame[w] = NOT_ONE_FRAME;
        wayZero[w] = false;
        wayStampsProgression[w] = false; // no line left to have stamps
        return true;
    }

    /**
     * Whether a line with an address in [{@code lo}, {@code hi}) is cached under any key: one pass over the
     * ways of the sets such lines map to (consecutive sets, wrapping), with no branch taken until one is
     * found. Most conversions flush frames none of whose lines is cached; this spares them the ordered
     * walk, which costs a set's ways per line.
     */
    private boolean holdsAny(final long lo, final long hi) {
        // The way summaries answer first when every way with lines holds one whole frame (a page's worth of
        // clears and fills): a frame's lines are in [lo, hi) exactly when the frame is.
        boolean known = true;
        for (int w = 0; w < ways && known; w++) {
            if (wayValid[w] != 0) {
                if (wayFrame[w] == NOT_ONE_FRAME) {
                    known = false;
                } else if (Long.compareUnsigned(wayFrame[w] * LINES_PER_FRAME - lo, hi - lo) < 0) {
                    return true;
                }
            }
        }
        if (known) {
            return false;
        }
        materialiseAllLines();
        final long[] tag = this.tag;
        final long n = hi - lo;
        if (n >= sets) {
            return anyInRange(tag, 0, tag.length, lo, n);
        }
        final int from = (int) (lo & setMask);
        final int to = from + (int) n;
        for (int w = 0; w < tag.length; w += sets) {
            if (to <= sets ? anyInRange(tag, w + from, w + to, lo, n)
                    : anyInRange(tag, w + from, w + sets, lo, n) || anyInRange(tag, w, w + to - sets, lo, n)) {
                return true;
            }
        }
        return false;
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
        materialiseAllLines();
        for (int i = 0; i < tag.length; i++) {
            if (tag[i] != INVALID && tag[i] >= lo && tag[i] < hi) {
                evict(i, cause);
            }
        }
    }

    private void evict(final int i, final CpuCacheWriteback.Cause cause) {
        if (tag[i] == INVALID) {
            return;
        }
        evictLine(i, cause);
        dropped(i >>> setShift);
    }

    /** {@link #evict} of a valid line, leaving its way's summaries to the caller. */
    private void evictLine(final int i, final CpuCacheWriteback.Cause cause) {
        if (dirty[i]) {
            writeBack(i, cause);
        }
        tag[i] = INVALID;
        valid--;
    }

    /** A line of way {@code w} left the cache. */
    private void dropped(final int w) {
        wayValid[w]--;
        wayFrame[w] = NOT_ONE_FRAME;
    }

    /** Drops a line without writing it back: its bytes are being overwritten whole. */
    private void discard(final int i) {
        if (dirty[i]) {
            dirty[i] = false;
            dirtyCount--;
            wayDirty[i >>> setShift]--;
        }
        tag[i] = INVALID;
        valid--;
        dropped(i >>> setShift);
    }

    /**
     * Writes a dirty line back under its own key; returns the write-back's stamp. DRAM's line then holds
     * data as old as the line's last store (its newest byte), not as old as the write-back: what a checker
     * compares is when data was stored, not when it reached DRAM.
     */
    private long writeBack(final int i, final CpuCacheWriteback.Cause cause) {
        final long la = tag[i];
        final KeyId k = KEYS[key[i]];
        materialiseStamps(i >>> setShift);
        final long stamp = dram.nextStamp(CpuCacheStamp.Writer.WRITEBACK, k);
        final long dataAge = CpuCacheStamp.newer(base[i], store[i]) ? base[i] : store[i];
        final long before = dram.dramStampLine(la << LINE_SHIFT, dataAge);
        final long pfn = la / LINES_PER_FRAME;
        if (!pending || !run.continues(pfn, k, cause)) {
            publish(); // the previous run's bytes reach DRAM, then its event goes out
            run.start(pfn, k, cause);
            pending = true;
        }
        materialiseZero(i >>> setShift);
        dram.dramQueueLine(la << LINE_SHIFT, k, data, i * LINE);
        run.add((int) (la % LINES_PER_FRAME), base[i], store[i], before, stamp);
        dirty[i] = false;
        dirtyCount--;
        wayDirty[i >>> setShift]--;
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
        return new WritebackSentence(r.cause(), r.lines(), r.indexLo(), r.indexHi(), r.key(), r.storedStepLo(),
                r.storedStepHi());
    }

    /**
     * "eviction wrote back 64 dirty lines in +0x0..+0xfff encrypted with key guest, stored at step 3": a
     * run's summary, lines {@code first}..{@code last} (0..63), CPU stores at steps {@code storedFrom}..
     * {@code storedTo} ({@code storedTo} -1: none).
     */
    private record WritebackSentence(CpuCacheWriteback.Cause cause, int lines, int first, int last, KeyId key,
            int storedFrom, int storedTo) implements Event.Detail {
        @Override
        public String format() {
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
        }
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
        return i >= 0 ? baseAt(i) : CpuCacheStamp.NEVER;
    }

    /** {@link CpuCacheStamp} of the last CPU store into the line, or {@link CpuCacheStamp#NEVER}. */
    public long lineStore(final long pa, final KeyId k) {
        final int i = find(pa >>> LINE_SHIFT, k);
        return i >= 0 ? storeAt(i) : CpuCacheStamp.NEVER;
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
            materialiseZero(i >>> setShift); // the same bytes, now written out
            System.arraycopy(data, i * LINE + (int) (from - (la << LINE_SHIFT)), dst, off + (int) (from - pa),
                    (int) (to - from));
        }
    }

    private int find(final long la, final KeyId k) {
        materialiseAllLines();
        final int set = (int) (la & setMask);
        final byte kb = (byte) k.ordinal();
        for (int i = set; i < tag.length; i += sets) {
            if (tag[i] == la && key[i] == kb) {
                return i;
            }
        }
        return -1;
    }
}
