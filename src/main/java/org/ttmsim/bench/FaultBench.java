package org.ttmsim.bench;

import org.ttmsim.hw.Counter;
import org.ttmsim.mm.Memory;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.TtmBoVm;
import org.ttmsim.ttm.TtmBufferObject;

/**
 * Figure (3): faults per second when user space first touches every page of a freshly mapped buffer
 * (1 GiB in a full run: 262144 pages, so 16384 faults with {@link TtmBoVm#TTM_BO_VM_NUM_PREFAULT} =
 * 16). The BO is created in TT on an SME host, which populates (and zeroes) its pages before the
 * mapping exists, as {@code ttm_bo_validate()} into TT does; the timed loop is the first touch only:
 * a one-byte CPU load per page, each sixteenth of which misses the page tables and faults
 * (ttm_bo_vm_fault, 16 × vmf_insert_pfn_prot), every load going through TLB, cache and engine.
 *
 * <p>Also reported: the fault handler alone ({@code handle_mm_fault()} called once per 16 pages of a
 * second mapping), which leaves out the CPU's loads.
 */
final class FaultBench {
    /** Median faults per second of the first touch and of the handler alone; faults per touch run. */
    record Result(double faultsPerSecond, double handlerFaultsPerSecond, long faults, long pages) {
    }

    private FaultBench() {
    }

    static Result run(final BenchConfig cfg) {
        final long bytes = cfg.faultBufferBytes();
        final int pages = (int) (bytes / EngineBench.PAGE);
        final int rounds = cfg.faultRounds() + 1; // the first round warms up
        final double[] touch = new double[cfg.faultRounds()];
        final double[] handler = new double[cfg.faultRounds()];
        long faults = 0;
        for (int r = 0; r < rounds; r++) {
            final BenchWorld w = BenchWorld.sme(Math.max(BenchWorld.GIB, 2 * bytes));
            final TtmBufferObject bo = w.createInTt("A", bytes);
            final Vma a = w.mmap(bo.name(), "a");
            final Vma b = w.mmap(bo.name(), "b");
            final byte[] one = new byte[1];
            final long before = w.machine().ledger().get(Counter.FAULTS);
            settleHeap();
            final long t0 = System.nanoTime();
            for (long p = 0; p < pages; p++) {
                w.access(a.start() + (p << 12), one, 0, 1, false);
            }
            final long t1 = System.nanoTime();
            faults = w.machine().ledger().get(Counter.FAULTS) - before;
            final Memory memory = w.kernel().memory();
            settleHeap();
            final long t2 = System.nanoTime();
            for (long p = 0; p < pages; p += TtmBoVm.TTM_BO_VM_NUM_PREFAULT) {
                memory.handleMmFault(w.process(), b.start() + (p << 12), false);
            }
            final long t3 = System.nanoTime();
            final long handled = w.machine().ledger().get(Counter.FAULTS) - before - faults;
            EngineBench.check(faults == pages / TtmBoVm.TTM_BO_VM_NUM_PREFAULT && handled == faults,
                    "first touch of " + pages + " pages took " + faults + " faults, the handler " + handled);
            if (r > 0) {
                touch[r - 1] = faults * 1e9 / Math.max(1, t1 - t0);
                handler[r - 1] = handled * 1e9 / Math.max(1, t3 - t2);
            }
        }
        return new Result(BenchClock.median(touch), BenchClock.median(handler), faults, pages);
    }

    /**
     * Collects the garbage of the set-up (populating the BO allocates far more than the timed loop) so
     * that its collection is not charged to the loop; what the loop itself allocates still is.
     */
    private static void settleHeap() {
        System.gc();
    }
}
