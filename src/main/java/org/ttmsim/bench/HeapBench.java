package org.ttmsim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.TtmBufferObject;

/**
 * Figure (5): heap the model keeps, per touched 4 KiB frame and per GiB of configured RAM nobody touched.
 *
 * <p>Method: heap in use is read from the {@link MemoryMXBean} after {@link System#gc()} has settled
 * (repeated until two readings in a row agree within 4 KiB; with the launcher's ParallelGC each call is
 * a full, compacting collection), so only reachable objects count. The workloads are deterministic
 * and the objects measured are held reachable across the reading ({@link Reference#reachabilityFence}).
 * <ul>
 * <li><b>Touched frame</b>: an SME host with 1 GiB of RAM is booted; then a BO of N pages is created in
 * TT (populated and zeroed), mmapped, and every page written whole by the CPU. The heap that appeared,
 * divided by N, is everything the model keeps because a frame was used: the frame's bytes, its DRAM
 * write stamps, tt page and DMA-address slots, the user PTE, TLB entries, map entries. Baseline: the
 * 4096 bytes the frame holds.</li>
 * <li><b>Untouched GiB</b>: SEV guests booted with 1 GiB, 64 GiB and 1 TiB of RAM and nothing else
 * done (the same kernel, SWIOTLB pool, driver and managers; a guest, because its SWIOTLB pool grows with
 * RAM and is decrypted at boot); the figure is the largest of the two
 * slopes (64 GiB vs 1 GiB, 1 TiB vs 64 GiB), in bytes per GiB. It includes what RAM size drives at
 * boot: the SWIOTLB pool (6% of RAM, clamped to 1 GiB) and its decryption, the TT manager (3/4 of RAM).</li>
 * </ul>
 */
final class HeapBench {
    private static final long[] RAM_GIB = {1, 64, 1024};

    /** Bytes per touched frame, bytes per untouched GiB, and the raw world sizes per RAM size. */
    record Result(double bytesPerTouchedFrame, double bytesPerUntouchedGib, long[] worldBytes) {
    }

    private HeapBench() {
    }

    static Result run(final BenchConfig cfg) {
        final double[] perFrame = new double[cfg.heapRounds()];
        final double[] perGib = new double[cfg.heapRounds()];
        long[] sizes = new long[RAM_GIB.length];
        for (int r = 0; r < cfg.heapRounds(); r++) {
            perFrame[r] = perTouchedFrame(cfg.heapFrames());
            sizes = worldSizes();
            double worst = 0;
            for (int i = 1; i < RAM_GIB.length; i++) {
                worst = Math.max(worst, (double) (sizes[i] - sizes[i - 1]) / (RAM_GIB[i] - RAM_GIB[i - 1]));
            }
            perGib[r] = worst;
        }
        return new Result(BenchClock.median(perFrame), BenchClock.median(perGib), sizes);
    }

    private static double perTouchedFrame(final int frames) {
        final BenchWorld w = BenchWorld.sme(BenchWorld.GIB);
        final byte[] page = EngineBench.randomPage();
        // Warm the paths once on a small buffer, so lazily built singletons are not charged to frames.
        touch(w, 4, "warm", page);
        final long before = usedAfterGc();
        final Object keep = touch(w, frames, "A", page);
        final long after = usedAfterGc();
        Reference.reachabilityFence(keep);
        Reference.reachabilityFence(w);
        return (double) (after - before) / frames;
    }

    private static Object touch(final BenchWorld w, final int pages, final String name, final byte[] page) {
        final TtmBufferObject bo = w.createInTt(name, (long) pages * EngineBench.PAGE);
        final Vma vma = w.mmap(bo.name(), name.toLowerCase(java.util.Locale.ROOT));
        for (int p = 0; p < pages; p++) {
            w.access(vma.start() + (long) p * EngineBench.PAGE, page, 0, page.length, true);
        }
        return new Object[] {bo, vma};
    }

    private static long[] worldSizes() {
        final long[] sizes = new long[RAM_GIB.length];
        for (int i = 0; i < RAM_GIB.length; i++) {
            final long before = usedAfterGc();
            final BenchWorld w = new BenchWorld(EncryptionMode.SEV, RAM_GIB[i] * BenchWorld.GIB, "generic",
                    "upstream-2024");
            sizes[i] = usedAfterGc() - before;
            Reference.reachabilityFence(w);
        }
        return sizes;
    }

    /** Heap in use once garbage collection has settled. */
    static long usedAfterGc() {
        final MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long prev = Long.MIN_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            final long used = mx.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - prev) < 4096) {
                return used;
            }
            prev = used;
        }
        return prev;
    }
}
