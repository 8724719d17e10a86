package org.ttmsim.bench;

import java.util.Set;
import org.ttmsim.design.Design;
import org.ttmsim.design.Designs;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.Driver;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.driver.Drivers;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.CostParams;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.hw.Errno;
import org.ttmsim.hw.Machine;
import org.ttmsim.hw.MachineConfig;
import org.ttmsim.mm.Mmap;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.scenario.DeviceSpec;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBo;
import org.ttmsim.ttm.TtmBoMmap;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;

/**
 * A machine, booted kernel and driver built the way the scenario runner builds a run's world
 * (sim.World, sim.StepExecutor): {@link Machine} from a concluded {@link MachineConfig}, {@link Kernel},
 * {@link Drivers#create}; buffers by {@code ttm_bo_init_reserved()} + unreserve, mappings by
 * {@code do_mmap()} of the BO's offset through {@link TtmBoMmap}; CPU accesses through the kernel's
 * {@code CpuAccess}. No event log and no monitor listens (the bus is inactive), as in a matrix cell
 * without {@code --html} minus the checkers: the bench times the emulation, not the judging.
 */
final class BenchWorld {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    private final Machine machine;
    private final Kernel kernel;
    private final Driver driver;
    private final Design design;
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
        final long vram = DeviceSpec.DEFAULT_VRAM_BYTES;
        final MachineConfig config = MachineConfig.conclude(mode, 47, false, ramBytes, 4, -1, vram, Set.of(),
                CostParams.defaults());
        this.machine = new Machine(config, false);
        this.kernel = new Kernel(machine);
        this.design = Designs.byId(designId);
        this.driver = Drivers.create(kernel, new DeviceSpec(driverId, DeviceSpec.DEFAULT_DMA_MASK_BITS,
                DeviceSpec.DEFAULT_IOMMU, vram, null), design);
        this.process = kernel.newProcess("p1");
    }

    Machine machine() {
        return machine;
    }

    Kernel kernel() {
        return kernel;
    }

    MmStruct process() {
        return process;
    }

    /** {@code create: {bo, size, placement: [tt], caching: cached}}; throws if TTM refuses. */
    TtmBufferObject createInTt(final String name, final long size) {
        final DriverBo bo = new DriverBo(size, Caching.CACHED);
        bo.setName(name);
        final TtmPlacement tt = TtmPlacement.of(new TtmPlace[] {TtmPlace.of(TtmPlace.PL_TT, 0)});
        final int ret = TtmBo.initReserved(driver.bdev(), bo, TtmBufferObject.TYPE_DEVICE, tt, 4096,
                new OperationCtx(true, false), null, null, b -> { });
        if (ret != Errno.OK) {
            throw new IllegalStateException("bench: create " + name + " failed: " + Errno.name(ret));
        }
        TtmBo.unreserve(bo);
        return bo;
    }

    /** {@code mmap: {bo, as}}: shared, read-write, in the bench's process. */
    Vma mmap(final TtmBufferObject bo, final String as) {
        final Mmap.Result r = kernel.mmap().doMmap(process, new TtmBoMmap(bo, kernel.memory()),
                bo.vmaNodeStart(), bo.numPages(), true, true, bo, as);
        if (r.error() != Errno.OK) {
            throw new IllegalStateException("bench: mmap of " + bo.name() + " failed: " + Errno.name(r.error()));
        }
        return r.vma();
    }

    /** A user access of {@code len} bytes at {@code va}; throws on anything but success. */
    void access(final long va, final byte[] buf, final int off, final int len, final boolean write) {
        final int r = kernel.cpuAccess().access(process, va, buf, off, len, write, null);
        if (r != Errno.OK) {
            throw new IllegalStateException("bench: access at 0x" + Long.toHexString(va) + ": " + Errno.name(r));
        }
    }
}
