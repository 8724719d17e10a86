package org.ttmsim.driver;

import org.ttmsim.hw.Caching;
import org.ttmsim.hw.Errno;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBoUtil;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmTt;

/**
 * Models vmwgfx's TTM callbacks (drivers/gpu/drm/vmwgfx/vmwgfx_ttm_buffer.c, vmwgfx_bo.c): the
 * paravirtual SVGA device of a VMware guest. Its VRAM is emulated by the hypervisor (iomem, cached);
 * guest-backed memory (GMRs and MOBs, a scenario's {@code tt}) is guest RAM the hypervisor reads by
 * DMA, so in a confidential guest it must be shared. How the pages reach the device is the release's
 * DMA mode ({@link VmwDmaMode#select}), chosen by {@link Drivers}.
 */
final class Vmwgfx implements TtmDeviceFuncs {
    private final long vramBase;
    private final VmwDmaMode dmaMode;

    Vmwgfx(final long vramBase, final VmwDmaMode dmaMode) {
        this.vramBase = vramBase;
        this.dmaMode = dmaMode;
    }

    /**
     * {@code vmw_ttm_tt_create()}: every vmwgfx tt is cached; it keeps DMA addresses for the device
     * ({@code ttm_sg_tt_init}) unless the mode hands the device physical addresses ({@code vmw_dma_phys}).
     */
    @Override
    public TtmTt ttmTtCreate(final TtmBufferObject bo, final int pageFlags) {
        return dmaMode == VmwDmaMode.PHYS ? DriverBo.createPhysTt(bo, pageFlags, Caching.CACHED)
                : DriverBo.createTt(bo, pageFlags, Caching.CACHED);
    }

    /** {@code vmw_evict_flags()}: everything goes to system memory. */
    @Override
    public TtmPlacement evictFlags(final TtmBufferObject bo) {
        return TtmPlacement.of(TtmPlace.of(TtmPlace.PL_SYSTEM, 0));
    }

    /**
     * {@code vmw_move()}: system ↔ guest-backed is a bind or unbind (null move); anything involving
     * VRAM is copied by the CPU ({@code ttm_bo_move_memcpy}).
     */
    @Override
    public int move(final TtmBufferObject bo, final boolean evict, final OperationCtx ctx, final TtmResource newMem,
            final TtmPlace[] hop) {
        final TtmResource old = bo.resource();
        if (old == null || (old.memType() == TtmPlace.PL_SYSTEM && bo.ttm() == null)) {
            TtmBoUtil.moveNull(bo, newMem); // nothing to copy yet
            return Errno.OK;
        }
        final boolean oldSys = old.memType() != TtmPlace.PL_VRAM;
        if (oldSys && newMem.memType() != TtmPlace.PL_VRAM) {
            TtmBoUtil.moveNull(bo, newMem);
            return Errno.OK;
        }
        return TtmBoUtil.moveMemcpy(bo, ctx, newMem);
    }

    /** {@code vmw_ttm_io_mem_reserve()}: SVGA VRAM is iomem at the BAR, mapped cached. */
    @Override
    public int ioMemReserve(final TtmDevice bdev, final TtmResource mem) {
        if (mem.memType() == TtmPlace.PL_VRAM) {
            mem.setBus(vramBase + (mem.start() << 12), true, Caching.CACHED);
        }
        return Errno.OK;
    }
}
