package org.ttmsim.bench;

import org.ttmsim.dma.Kernel;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Machine;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.release.Releases;
import org.ttmsim.scenario.Step;
import org.ttmsim.sim.Context;
import org.ttmsim.sim.Session;
import org.ttmsim.sim.SteppedRun;
import org.ttmsim.ttm.TtmBufferObject;

/**
 * A machine, booted kernel and driver built through the public library ({@link Context}, {@link Session}),
 * as every run is: buffers and mappings by the session's {@code create} and {@code mmap}; the timed CPU
 * accesses go straight to the kernel's {@code CpuAccess} through {@link Session#internals()}, since that
 * path is what the figures time. The monitors are off ({@link Context#monitors}) and no event is kept, so
 * the bus is inactive, as in a matrix cell without {@code --html} minus the checkers: the bench times the
 * emulation, not the judging. The kernel is the newest release the model knows.
 */
final class BenchWorld {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    private final Session session;
    private final Session.Internals model;
    private final MmStruct process;

    /**
     * An SME host with the generic driver and today's design: tt pages are encrypted with the host key,
     * and the pool's blocks are DMA-mapped without bouncing (an SEV guest would bounce them through
     * SWIOTLB, which refuses blocks above 256 KiB, so a large BO could not be populated there).
     */
    static BenchWorld sme(final long ramBytes) {
        return new BenchWorld(EncryptionMode.SME, ramBytes, "generic", "upstream-2024");
    }

    BenchWorld(final EncryptionMode mode, final long ramBytes, final String driverId, final String designId) {
        this.session = Session.open(new Context().encryption(mode).ram(ramBytes).driver(driverId).design(designId)
                .kernel(Releases.newest().id()).monitors(false));
        this.model = session.internals();
        this.process = model.process(Step.Mmap.DEFAULT_PROCESS);
    }

    Machine machine() {
        return model.machine();
    }

    Kernel kernel() {
        return model.kernel();
    }

    MmStruct process() {
        return process;
    }

    /** {@code create: {bo, size, placement: [tt], caching: cached}}; throws if TTM refuses. */
    TtmBufferObject createInTt(final String name, final long size) {
        final SteppedRun.Outcome o = session.create(name, size, "tt");
        if (!o.ok()) {
            throw new IllegalStateException("bench: create " + name + " failed: " + o.errno());
        }
        return model.bo(name);
    }

    /** {@code mmap: {bo, as}}: shared, read-write, in the bench's process. */
    Vma mmap(final String bo, final String as) {
        final SteppedRun.Outcome o = session.mmap(bo, as);
        if (!o.ok()) {
            throw new IllegalStateException("bench: mmap of " + bo + " failed: " + o.errno());
        }
        return model.vma(as);
    }

    /** A user access of {@code len} bytes at {@code va}; throws on anything but success. */
    void access(final long va, final byte[] buf, final int off, final int len, final boolean write) {
        final int r = model.kernel().cpuAccess().access(process, va, buf, off, len, write, null);
        if (r != Errno.OK) {
            throw new IllegalStateException("bench: access at 0x" + Long.toHexString(va) + ": " + Errno.name(r));
        }
    }
}
