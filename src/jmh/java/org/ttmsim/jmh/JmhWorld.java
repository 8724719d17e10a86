package org.ttmsim.jmh;

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
 * The machine, kernel and driver the benchmarks run on, built as the scenario runner builds a run
 * (no event log, no monitor): the JMH twin of {@code org.ttmsim.bench.BenchWorld}.
 */
final class JmhWorld {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    final Machine machine;
    final Kernel kernel;
    final Driver driver;
    final Design design;
    final MmStruct process;

    JmhWorld(final EncryptionMode mode, final long ramBytes, final long vramBytes) {
        final MachineConfig config = MachineConfig.conclude(mode, 47, false, ramBytes, 4, -1, vramBytes, Set.of(),
                CostParams.defaults());
        this.machine = new Machine(config, false);
        this.kernel = new Kernel(machine);
        this.design = Designs.byId("upstream-2024");
        this.driver = Drivers.create(kernel, new DeviceSpec("generic", 64, false, vramBytes, null), design);
        this.process = kernel.newProcess("p1");
    }

    /** An SME host: tt pages encrypted with the host key, blocks DMA-mapped without bouncing. */
    static JmhWorld sme(final long ramBytes) {
        return new JmhWorld(EncryptionMode.SME, ramBytes, 256 * MIB);
    }

    DriverBo create(final String name, final long size, final int memType, final Caching caching) {
        return create(name, size, memType, caching, TtmBufferObject.TYPE_DEVICE);
    }

    DriverBo create(final String name, final long size, final int memType, final Caching caching, final int type) {
        final DriverBo bo = new DriverBo(size, caching);
        bo.setName(name);
        final int ret = TtmBo.initReserved(driver.bdev(), bo, type, placement(memType), 4096,
                new OperationCtx(true, false), null, null, b -> { });
        if (ret != Errno.OK) {
            throw new IllegalStateException("create " + name + ": " + Errno.name(ret));
        }
        TtmBo.unreserve(bo);
        return bo;
    }

    static TtmPlacement placement(final int memType) {
        return TtmPlacement.of(new TtmPlace[] {TtmPlace.of(memType, 0)});
    }

    Vma mmap(final TtmBufferObject bo, final String as) {
        final Mmap.Result r = kernel.mmap().doMmap(process, new TtmBoMmap(bo, kernel.memory()),
                bo.vmaNodeStart(), bo.numPages(), true, true, bo, as);
        if (r.error() != Errno.OK) {
            throw new IllegalStateException("mmap: " + Errno.name(r.error()));
        }
        return r.vma();
    }
}
