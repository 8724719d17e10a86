package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link CpuCache}'s whole-frame road: two controllers, one taking whole-frame loads
 * and stores the short way when it can and one taking every frame line by line, are driven with the same
 * seeded random sequence of CPU loads and stores (whole frames mostly, partial lines, several frames at
 * once), device reads and writes, the CPU's uncached accesses, clflushes, wbinvd and step changes, with
 * few enough frames that sets fill and evict. After every operation they must agree on everything one can
 * observe: the result and bytes read, the write sequence, valid and dirty line counts, every event
 * (kind, frame, key, step, sentence) and every write-back's stamps; every so often and at the end, on
 * every frame's DRAM bytes, zero-frame key and line stamps, and on every line's presence, dirtiness and
 * stamps under every key.
 *
 * <p>{@link #shouldMatchTheLineByLineCacheOfBeforeTheWholeFrameRoad} pins the observations of a few
 * seeds, through the public constructor (the whole-frame road), to digests computed with the cache as it
 * was before the road and the way-major line layout (commit 2ffdd94): the line-by-line road is held to
 * the old algorithm too, not only to the new one.
 */
class CpuCacheDifferentialTest {
    private static final int FRAME = PhysicalMemory.FRAME;
    private static final int LINE = EncryptionEngine.LINE;
    private static final int LINES_PER_FRAME = FRAME / LINE;
    private static final long BASE_PFN = 0x300;
    private static final KeyId[] KEYS = KeyId.values();

    /** One controller and everything it observably did. */
    private static final class Side {
        final PhysicalMemory memory = new PhysicalMemory(64L << 20, 1L << 40, 0);
        final EventBus bus = new EventBus(true);
        final MemoryController mc;
        final CpuCache cache;
        final StringBuilder wb = new StringBuilder();
        int logged;
        /** Write-back runs that replaced newer DRAM data (cache corruption's finding). */
        int staleRuns;

        Side(final EncryptionMode mode, final boolean coherent, final Boolean wholeFrames) {
            final FrameStates states = new FrameStates(memory, mode);
            mc = wholeFrames == null
                    ? new MemoryController(memory, new EncryptionEngine(), states, mode, coherent,
                            CpuCache.DEFAULT_LINES, bus)
                    : new MemoryController(memory, new EncryptionEngine(), states, mode, coherent,
                            CpuCache.DEFAULT_LINES, bus, wholeFrames);
            cache = mc.cache();
            bus.subscribe(EventBus.Listener.of(e -> {
                if (e.kind() == EventKind.CACHE_WRITEBACK) {
                    final CpuCacheWriteback r = cache.lastWriteback();
                    wb.append(" wb ").append(r.pfn()).append(' ').append(r.key()).append(' ').append(r.cause());
                    countsStaleLines(r);
                    for (int i = 0; i < r.lines(); i++) {
                        wb.append(" [").append(r.lineIndex(i)).append(' ').append(r.lineBase(i)).append(' ')
                                .append(r.lineStore(i)).append(' ').append(r.dramBefore(i)).append(' ')
                                .append(r.stamp(i)).append(']');
                    }
                }
            }));
        }

        /**
         * The run's count of lines whose DRAM data was newer than their copy, and the first of them, are what
         * its entries' stamps say (the run counts them as it is built, from progressions when it can).
         */
        void countsStaleLines(final CpuCacheWriteback r) {
            int newer = 0;
            int first = -1;
            for (int i = 0; i < r.lines(); i++) {
                if (CpuCacheStamp.newer(r.dramBefore(i), r.lineBase(i))) {
                    newer++;
                    first = first < 0 ? i : first;
                }
            }
            assertThat(r.newerDramLines()).as("stale lines of %s", r.pfn()).isEqualTo(newer);
            assertThat(r.firstNewerDramLine()).as("first stale line of %s", r.pfn()).isEqualTo(first);
            staleRuns += newer > 0 ? 1 : 0;
        }

        /** Applies {@code op}; returns what it observably did. */
        String apply(final Op op) {
            final StringBuilder sb = new StringBuilder(op.toString()).append(" ->");
            final long pa = op.pa();
            switch (op.kind) {
                case CPU_READ, DMA_READ, UC_READ -> {
                    final byte[] out = new byte[op.len];
                    final int rc = op.kind == OpKind.CPU_READ ? mc.cpuRead(pa, op.key, out, 0, op.len)
                            : op.kind == OpKind.DMA_READ ? mc.read(pa, op.key, out, 0, op.len)
                                    : mc.cpuUncachedRead(pa, op.key, out, 0, op.len);
                    sb.append(" rc=").append(rc).append(" bytes=").append(Long.toHexString(fingerprint(out)));
                }
                case CPU_WRITE -> sb.append(" rc=").append(mc.cpuWrite(pa, op.key, op.data, 0, op.len));
                case DMA_WRITE -> sb.append(" rc=").append(mc.write(pa, op.key, op.data, 0, op.len));
                case UC_WRITE -> sb.append(" rc=").append(mc.cpuUncachedWrite(pa, op.key, op.data, 0, op.len));
                case HOST_WRITE -> mc.writeUnchecked(pa, op.key, op.data, 0, op.len);
                case CLFLUSH -> cache.flushPages(BASE_PFN + op.frame, op.len);
                case WBINVD -> cache.wbinvd();
                case STEP -> bus.setStep(op.len);
                default -> throw new IllegalStateException(op.kind.toString());
            }
            sb.append(" seq=").append(mc.writeSeq()).append(" valid=").append(cache.validLines()).append(" dirty=")
                    .append(cache.dirtyLines());
            final List<Event> log = bus.log();
            for (; logged < log.size(); logged++) {
                final Event e = log.get(logged);
                sb.append("\n  ").append(e.seq()).append(' ').append(e.traceLine());
            }
            sb.append(wb);
            wb.setLength(0);
            return sb.toString();
        }

        /** A 64-bit fingerprint of {@code b} (cheaper to compare and digest than its hex). */
        static long fingerprint(final byte[] b) {
            long h = 0xcbf29ce484222325L;
            for (final byte x : b) {
                h = (h ^ (x & 0xff)) * 0x100000001b3L;
            }
            return h;
        }

        /** DRAM and every line of the first {@code frames} frames (and one beyond), under every key. */
        String state(final int frames) {
            final StringBuilder sb = new StringBuilder();
            for (long pfn = BASE_PFN; pfn <= BASE_PFN + frames; pfn++) {
                final byte[] f = memory.frameIfPresent(pfn);
                sb.append("frame ").append(pfn).append(" zero=").append(memory.zeroKey(pfn)).append(" bytes=")
                        .append(f == null ? "-" : Long.toHexString(fingerprint(f))).append('\n');
                for (int j = 0; j < LINES_PER_FRAME; j++) {
                    final long pa = (pfn << Pte.PAGE_SHIFT) + (long) j * LINE;
                    sb.append(' ').append(mc.dramStamp(pa));
                    for (final KeyId k : KEYS) {
                        if (cache.holds(pa, k)) {
                            sb.append(' ').append(k).append(cache.isDirty(pa, k) ? "*" : "").append(cache.lineBase(pa, k))
                                    .append('/').append(cache.lineStore(pa, k));
                        }
                    }
                    sb.append('\n');
                }
                final byte[] overlay = new byte[FRAME];
                for (final KeyId k : KEYS) {
                    java.util.Arrays.fill(overlay, (byte) 0x5a);
                    cache.overlayDirty(pfn << Pte.PAGE_SHIFT, k, overlay, 0, FRAME);
                    sb.append(" overlay ").append(k).append(' ').append(Long.toHexString(fingerprint(overlay)));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    private enum OpKind { CPU_READ, CPU_WRITE, DMA_READ, DMA_WRITE, UC_READ, UC_WRITE, HOST_WRITE, CLFLUSH, WBINVD, STEP }

    /** One operation: on frame {@code frame} of the pool at {@code offset}, {@code len} bytes (or pages, or a step). */
    private record Op(OpKind kind, int frame, int offset, int len, KeyId key, byte[] data) {
        long pa() {
            return ((BASE_PFN + frame) << Pte.PAGE_SHIFT) + offset;
        }

        @Override
        public String toString() {
            return kind + " frame=" + frame + " off=" + offset + " len=" + len + " key=" + key;
        }
    }

    /**
     * A random operation on a pool of {@code frames} frames, each with a preferred key (most accesses use
     * it, so that whole frames hit; the rest make aliases). Whole frames dominate, since they are what the
     * whole-frame road takes; the rest break its per-way summaries in every way they can be broken.
     */
    private static Op next(final SplittableRandom r, final Config c, final KeyId[] preferred, final int[] step) {
        final int frames = c.frames;
        final int frame = r.nextInt(frames);
        final KeyId key = r.nextInt(100) < 85 ? preferred[frame] : KEYS[r.nextInt(KEYS.length)];
        if (r.nextInt(100) < c.wholeShare) {
            return r.nextInt(100) < 55 ? new Op(OpKind.CPU_WRITE, frame, 0, FRAME, key, data(r, FRAME))
                    : new Op(OpKind.CPU_READ, frame, 0, FRAME, key, null);
        }
        final int p = 55 + r.nextInt(45);
        if (p < 60) { // two frames at once (one stamp for both), or a frame and a bit
            final int len = r.nextBoolean() ? 2 * FRAME : FRAME + LINE * (1 + r.nextInt(8));
            final int f = Math.min(frame, frames - 2);
            return r.nextBoolean() ? new Op(OpKind.CPU_WRITE, f, 0, len, key, data(r, len))
                    : new Op(OpKind.CPU_READ, f, 0, len, key, null);
        }
        final int offset = r.nextBoolean() ? LINE * r.nextInt(LINES_PER_FRAME) : r.nextInt(FRAME);
        final int len = 1 + r.nextInt(r.nextBoolean() ? 3 * LINE : FRAME - offset);
        if (p < 68) {
            return new Op(OpKind.CPU_WRITE, frame, offset, Math.min(len, FRAME - offset), key,
                    data(r, Math.min(len, FRAME - offset)));
        }
        if (p < 74) {
            return new Op(OpKind.CPU_READ, frame, offset, Math.min(len, FRAME - offset), key, null);
        }
        if (p < 79) {
            final int n = r.nextBoolean() ? FRAME - offset : Math.min(len, FRAME - offset);
            return new Op(OpKind.DMA_WRITE, frame, offset, n, key, data(r, n));
        }
        if (p < 83) {
            return new Op(OpKind.DMA_READ, frame, offset, Math.min(len, FRAME - offset), key, null);
        }
        if (p < 85) {
            return new Op(OpKind.UC_WRITE, frame, offset, Math.min(len, FRAME - offset), key,
                    data(r, Math.min(len, FRAME - offset)));
        }
        if (p < 87) {
            return new Op(OpKind.UC_READ, frame, offset, Math.min(len, FRAME - offset), key, null);
        }
        if (p < 88) {
            return new Op(OpKind.HOST_WRITE, frame, 0, FRAME, key, data(r, FRAME));
        }
        if (p < 93) {
            return new Op(OpKind.CLFLUSH, frame, 0, 1 + r.nextInt(r.nextInt(10) == 0 ? frames : 2), null, null);
        }
        if (p < 94) {
            return new Op(OpKind.WBINVD, 0, 0, 0, null, null);
        }
        step[0] += 1 + r.nextInt(3);
        return new Op(OpKind.STEP, 0, 0, step[0], null, null);
    }

    /** Random bytes, or zeros (a cleared page: the controller keeps such frames as their key alone). */
    private static byte[] data(final SplittableRandom r, final int n) {
        final byte[] b = new byte[n];
        if (r.nextInt(5) != 0) {
            for (int i = 0; i < n; i++) {
                b[i] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    /**
     * A run: {@code wholeShare} percent of the operations are whole-frame loads and stores; long stretches
     * of nothing else let every way come to hold one frame, so that victims are whole ways.
     */
    private record Config(EncryptionMode mode, boolean coherent, int frames, int wholeShare, int ops) {
    }

    private static Config config(final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final int[] shares = {50, 90, 99, 100};
        return new Config(r.nextBoolean() ? EncryptionMode.SEV : EncryptionMode.SME, r.nextBoolean(),
                9 + r.nextInt(12), shares[r.nextInt(shares.length)], 1200);
    }

    private static KeyId[] preferred(final SplittableRandom r, final int frames) {
        final KeyId[] p = new KeyId[frames];
        for (int i = 0; i < frames; i++) {
            p[i] = KEYS[r.nextInt(KEYS.length)];
        }
        return p;
    }

    @Test
    void shouldObserveTheSameWhetherWholeFramesTakeTheShortRoadOrGoLineByLine() {
        final long[] roads = new long[CpuCache.ROADS];
        int staleRuns = 0;
        for (long seed = 1; seed <= 16; seed++) {
            final Config c = config(seed);
            final Side fast = new Side(c.mode, c.coherent, true);
            final Side slow = new Side(c.mode, c.coherent, false);
            final SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
            final KeyId[] preferred = preferred(r, c.frames);
            final int[] step = {0};
            for (int i = 0; i < c.ops; i++) {
                final Op op = next(r, c, preferred, step);
                final String where = "seed " + seed + " " + c + " op " + i;
                same(where, fast.apply(op), slow.apply(op));
                if (i % 100 == 99 || i == c.ops - 1) {
                    same(where + " state", fast.state(c.frames), slow.state(c.frames));
                }
            }
            assertThat(slow.cache.roadsTaken()).as("seed %d: the line-by-line side took a short road", seed)
                    .containsOnly(0L);
            staleRuns += fast.staleRuns;
            for (int k = 0; k < roads.length; k++) {
                roads[k] += fast.cache.roadsTaken()[k];
            }
        }
        assertThat(staleRuns).as("write-backs over newer data (the count checked each time)").isGreaterThan(50);
        // Every road was taken, often: the comparison covered them.
        for (int k = 0; k < roads.length; k++) {
            assertThat(roads[k]).as("whole-frame road %d taken (hit, empty way, whole write-back, line evictions): %s",
                    k, java.util.Arrays.toString(roads)).isGreaterThan(100);
        }
    }

    /** Fails with the first difference in context (the observations are long). */
    private static void same(final String where, final String fast, final String slow) {
        if (fast.equals(slow)) {
            return;
        }
        int at = 0;
        while (at < Math.min(fast.length(), slow.length()) && fast.charAt(at) == slow.charAt(at)) {
            at++;
        }
        final int from = Math.max(0, at - 200);
        assertThat(fast.substring(from, Math.min(fast.length(), at + 300)))
                .as("%s: whole-frame road (actual) vs line by line (expected), from char %d", where, from)
                .isEqualTo(slow.substring(from, Math.min(slow.length(), at + 300)));
    }

    @Test
    void shouldMatchTheLineByLineCacheOfBeforeTheWholeFrameRoad() {
        // Computed with this test's digest() against the cache of commit 2ffdd94 (before the whole-frame road).
        final String[] expected = {
            "55c01d161ba295ad5762fa45ff7964d6b727225c3ede47641f67224ea029e711", // SEV, 17 frames, whole only
            "38afd0cece39aadd251fdf13f22bf87e056a0f725225a42546aef6c581887fbf", // SME coherent, 20, 99% whole
            "693601716b2e0bae3a71701bf461bad014204e2e0015e520b05ab45db7887885", // SEV coherent, 20, 99%
            "3101d93d988cf1a38929a20bd148455c22577bc325a6730cfacf0ee92034352e", // SME coherent, 12, whole only
            "06991f4c82b76b4544f725ef54437c72611f922a103a2113962c917467cfe5fb", // SEV, 9, whole only
            "48b9ac16a34f8eb33b1a5db98fa04475862e8541f9c704defcd9b10847d7cc02", // SEV, 11, 50% whole
            "a5595aeceb21c7ae4240bc1862cbc1ee3407f3245dd6422e039b77bdd8c251c3", // SEV coherent, 18, 99%
            "795731bd6d107993568d55465cb806fa6dcc1848b67d4420ac45a5f0f964373d", // SME coherent, 17, 50%
        };
        for (int s = 0; s < expected.length; s++) {
            assertThat(digest(101 + s)).as("seed %d", 101 + s).isEqualTo(expected[s]);
        }
    }

    /** SHA-256 of everything observed over seed {@code seed}'s run, through the public constructor. */
    private static String digest(final long seed) {
        final Config c = config(seed);
        final Side side = new Side(c.mode, c.coherent, null);
        final SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        final KeyId[] preferred = preferred(r, c.frames);
        final int[] step = {0};
        final MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < c.ops; i++) {
            md.update(side.apply(next(r, c, preferred, step)).getBytes(StandardCharsets.UTF_8));
            if (i % 100 == 99 || i == c.ops - 1) {
                md.update(side.state(c.frames).getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
