package org.ttmsim.driver;

import org.ttmsim.dma.DmaDevice;
import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBoUtil;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmTt;

/**
 * SPEC §2's {@code generic} driver: the kernel's TTM KUnit test driver ({@code ttm_dev_funcs} of
 * drivers/gpu/drm/ttm/tests/ttm_kunit_helpers.c: {@code mock_move}, {@code mock_evict_flags}) on a
 * device with real SYSTEM, TT and VRAM managers. VRAM and SYSTEM evict to SYSTEM, TT evicts to SYSTEM
 * (where the mock sends it to a private type), and a VRAM to SYSTEM move hops through TT. Data moves
 * by CPU copy ({@code ttm_bo_move_memcpy}); VRAM is iomem at {@code vramBase + (start << 12)},
 * write-combined.
 */
public final class Generic implements TtmDeviceFuncs {
    private static final TtmPlacement SYS_PLACEMENT =
            TtmPlacement.of(TtmPlace.of(TtmPlace.PL_SYSTEM, TtmPlace.FLAG_FALLBACK));

    private final long vramBase;

    /** @param vramBase where device memory starts in the physical address space */
    public Generic(final long vramBase) {
        this.vramBase = vramBase;
    }

    /**
     * Builds and initialises a device for the generic driver: SYSTEM (by TTM), TT (a buddy manager of
     * half the RAM, TTM's default page limit, backed by tt pages) and, unless the machine has none,
     * VRAM (a contiguous buddy manager over all device memory, iomem).
     *
     * @param dev         the DMA device (mask, IOMMU)
     * @param useDmaAlloc whether the pool uses dma_alloc_coherent
     * @param decisions   the design's decisions ({@link TtmDecisions#KERNEL}: the release's own)
     */
    public static TtmDevice createDevice(final TtmGlobal glob, final DmaDevice dev, final boolean useDmaAlloc,
            final TtmDecisions decisions) {
        return Drivers.initDevice(glob, new Generic(glob.kernel().machine().config().vramBase()), dev, useDmaAlloc,
                decisions, true);
    }

    /**
     * {@code ttm_tt_simple_create()} of the KUnit helpers: {@code ttm_tt_init(tt, bo, page_flags,
     * ttm_cached, 0)}, so the tt is always cached and has no DMA addresses: the pool never maps it, and
     * the device is handed the pages' physical addresses.
     */
    @Override
    public TtmTt ttmTtCreate(final TtmBufferObject bo, final int pageFlags) {
        return DriverBo.createPhysTt(bo, pageFlags, Caching.CACHED);
    }

    /** {@code mock_evict_flags()} with TT evicting to SYSTEM: VRAM, TT, SYSTEM to SYSTEM; others purge. */
    @Override
    public TtmPlacement evictFlags(final TtmBufferObject bo) {
        switch (bo.resource().memType()) {
            case TtmPlace.PL_VRAM:
            case TtmPlace.PL_SYSTEM:
            case TtmPlace.PL_TT:
                return SYS_PLACEMENT;
            default:
                return TtmPlacement.empty();
        }
    }

    /**
     * {@code mock_move()}: a buffer without backing (or in SYSTEM without pages) just takes the new
     * resource; VRAM to SYSTEM asks for a hop through TT; SYSTEM and TT share their pages (null move);
     * everything else is a CPU copy.
     */
    @Override
    public int move(final TtmBufferObject bo, final boolean evict, final OperationCtx ctx, final TtmResource newMem,
            final TtmPlace[] hop) {
        final TtmResource oldMem = bo.resource();
        if (oldMem == null || (oldMem.memType() == TtmPlace.PL_SYSTEM && bo.ttm() == null)) {
            TtmBoUtil.moveNull(bo, newMem);
            return Errno.OK;
        }
        if (oldMem.memType() == TtmPlace.PL_VRAM && newMem.memType() == TtmPlace.PL_SYSTEM) {
            hop[0] = new TtmPlace(0, 0, TtmPlace.PL_TT, TtmPlace.FLAG_TEMPORARY);
            return Errno.EMULTIHOP;
        }
        if ((oldMem.memType() == TtmPlace.PL_SYSTEM && newMem.memType() == TtmPlace.PL_TT)
                || (oldMem.memType() == TtmPlace.PL_TT && newMem.memType() == TtmPlace.PL_SYSTEM)) {
            TtmBoUtil.moveNull(bo, newMem);
            return Errno.OK;
        }
        return TtmBoUtil.moveMemcpy(bo, ctx, newMem);
    }

    /** VRAM is iomem: its bus address is linear from the start of device memory, write-combined. */
    @Override
    public int ioMemReserve(final TtmDevice bdev, final TtmResource mem) {
        if (mem.memType() == TtmPlace.PL_VRAM) {
            mem.setBus(vramBase + (mem.start() << 12), true, Caching.WRITE_COMBINED);
        }
        return Errno.OK;
    }
}
