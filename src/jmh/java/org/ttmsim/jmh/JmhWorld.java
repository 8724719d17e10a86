package org.ttmsim.jmh;

import java.util.List;
import org.ttmsim.dma.Kernel;
import org.ttmsim.driver.Driver;
import org.ttmsim.driver.DriverBo;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.EncryptionMode;
import org.ttmsim.mm.MmStruct;
import org.ttmsim.mm.Vma;
import org.ttmsim.release.Releases;
import org.ttmsim.scenario.PlaceSpec;
import org.ttmsim.sim.Context;
import org.ttmsim.sim.Session;
import org.ttmsim.sim.SteppedRun;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;

/**
 * The machine, kernel and driver the benchmarks run on, built through the public library as every run is
 * ({@link Context}, {@link Session}; monitors off, no event kept, the newest release): the JMH twin of
 * {@code org.ttmsim.bench.BenchWorld}. Buffers and mappings come from the session's steps; the benchmarks
 * then time the model's own paths through {@link Session#internals()}.
 */
final class JmhWorld {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    final Session session;
    final Kernel kernel;
    final Driver driver;
    final MmStruct process;

    JmhWorld(final EncryptionMode mode, final long ramBytes, final long vramBytes) {
        this.session = Session.open(new Context().encryption(mode).ram(ramBytes).vram(vramBytes)
                .design("upstream-2024").kernel(Releases.newest().id()).monitors(false));
        this.kernel = session.internals().kernel();
        this.driver = session.internals().driver();
        this.process = session.internals().process("p1");
    }

    /** An SME host: tt pages encrypted with the host key, blocks DMA-mapped without bouncing. */
    static JmhWorld sme(final long ramBytes) {
        return new JmhWorld(EncryptionMode.SME, ramBytes, 256 * MIB);
    }

    DriverBo create(final String name, final long size, final int memType, final Caching caching) {
        return create(name, size, memType, caching, TtmBufferObject.TYPE_DEVICE);
    }

    DriverBo create(final String name, final long size, final int memType, final Caching caching, final int type) {
        final String typeId = type == TtmBufferObject.TYPE_KERNEL ? "kernel" : type == TtmBufferObject.TYPE_SG ? "sg"
                : "device";
        final SteppedRun.Outcome o = session.create(name, size, List.of(PlaceSpec.of(TtmPlace.memTypeName(memType))),
                caching.id(), typeId, 0);
        if (!o.ok()) {
            throw new IllegalStateException("create " + name + ": " + o.errno());
        }
        return (DriverBo) session.internals().bo(name);
    }

    static TtmPlacement placement(final int memType) {
        return TtmPlacement.of(new TtmPlace[] {TtmPlace.of(memType, 0)});
    }

    Vma mmap(final TtmBufferObject bo, final String as) {
        final SteppedRun.Outcome o = session.mmap(bo.name(), as);
        if (!o.ok()) {
            throw new IllegalStateException("mmap: " + o.errno());
        }
        return session.internals().vma(as);
    }
}
