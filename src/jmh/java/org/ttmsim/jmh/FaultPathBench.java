package org.ttmsim.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ttmsim.hw.Caching;
import org.ttmsim.mm.Memory;
import org.ttmsim.mm.Vma;
import org.ttmsim.ttm.TtmBoVm;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;

/**
 * The fault path on an SME host: a 64 MiB BO in TT (populated at creation) is mapped afresh for each
 * invocation and unmapped after it, so every fault is a first fault.
 * <ul>
 * <li>{@code fault}: {@code handle_mm_fault()} once per 16 pages: ttm_bo_vm_fault and 16
 * {@code vmf_insert_pfn_prot()} (score per fault);</li>
 * <li>{@code pteInsert}: {@code vmf_insert_pfn_prot()} alone (score per PTE);</li>
 * <li>{@code firstTouch}: a one-byte CPU load per page through TLB, page walk, fault, cache and engine
 * (score per page; a sixteenth of them fault).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FaultPathBench {
    private static final int PAGES = 16384;
    private static final int PREFAULT = TtmBoVm.TTM_BO_VM_NUM_PREFAULT;
    private JmhWorld world;
    private TtmBufferObject bo;
    private Vma vma;
    private final byte[] one = new byte[1];

    @Setup(Level.Trial)
    public void boot() {
        world = JmhWorld.sme(JmhWorld.GIB);
        bo = world.create("A", (long) PAGES << 12, TtmPlace.PL_TT, Caching.CACHED);
    }

    @Setup(Level.Invocation)
    public void map() {
        vma = world.mmap(bo, "a");
    }

    @TearDown(Level.Invocation)
    public void unmap() {
        world.kernel.mmap().doMunmap(vma);
    }

    @Benchmark
    @OperationsPerInvocation(PAGES / PREFAULT)
    public int fault() {
        final Memory memory = world.kernel.memory();
        int r = 0;
        for (long p = 0; p < PAGES; p += PREFAULT) {
            r |= memory.handleMmFault(world.process, vma.start() + (p << 12), false);
        }
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int pteInsert() {
        final Memory memory = world.kernel.memory();
        final long[] pages = bo.ttm().pages();
        final long prot = vma.vmPageProt();
        int r = 0;
        for (int p = 0; p < PAGES; p++) {
            r |= memory.vmfInsertPfnProt(vma, vma.start() + ((long) p << 12), pages[p], prot);
        }
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public int firstTouch() {
        int r = 0;
        for (long p = 0; p < PAGES; p++) {
            r |= world.kernel.cpuAccess().access(world.process, vma.start() + (p << 12), one, 0, 1, false, null);
        }
        return r;
    }
}
