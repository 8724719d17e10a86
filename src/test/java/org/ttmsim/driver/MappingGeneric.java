package org.ttmsim.driver;

import org.ttmsim.dma.DmaDevice;
import org.ttmsim.ttm.OperationCtx;
import org.ttmsim.ttm.TtmBufferObject;
import org.ttmsim.ttm.TtmDecisions;
import org.ttmsim.ttm.TtmDevice;
import org.ttmsim.ttm.TtmDeviceFuncs;
import org.ttmsim.ttm.TtmGlobal;
import org.ttmsim.ttm.TtmPlace;
import org.ttmsim.ttm.TtmPlacement;
import org.ttmsim.ttm.TtmResource;
import org.ttmsim.ttm.TtmTt;

/**
 * Test fixture: the generic (KUnit) callbacks with a tt that keeps DMA addresses ({@code ttm_sg_tt_init},
 * with the buffer's caching), as amdgpu's and vmwgfx's are, so that tests of the pool's DMA mapping
 * (per-block {@code dma_map_page}, SWIOTLB limits) have a device that maps. The KUnit device itself never
 * maps ({@link Generic#ttmTtCreate}).
 */
public final class MappingGeneric implements TtmDeviceFuncs {
    private final Generic generic;

    private MappingGeneric(final long vramBase) {
        this.generic = new Generic(vramBase);
    }

    /** A device like {@link Generic#createDevice} whose tts keep DMA addresses. */
    public static TtmDevice createDevice(final TtmGlobal glob, final DmaDevice dev, final boolean useDmaAlloc,
            final TtmDecisions decisions) {
        return Drivers.initDevice(glob, new MappingGeneric(glob.kernel().machine().config().vramBase()), dev,
                useDmaAlloc, decisions, true);
    }

    @Override
    public TtmTt ttmTtCreate(final TtmBufferObject bo, final int pageFlags) {
        return DriverBo.createTt(bo, pageFlags, DriverBo.cachingOf(bo));
    }

    @Override
    public TtmPlacement evictFlags(final TtmBufferObject bo) {
        return generic.evictFlags(bo);
    }

    @Override
    public int move(final TtmBufferObject bo, final boolean evict, final OperationCtx ctx, final TtmResource newMem,
            final TtmPlace[] hop) {
        return generic.move(bo, evict, ctx, newMem, hop);
    }

    @Override
    public int ioMemReserve(final TtmDevice bdev, final TtmResource mem) {
        return generic.ioMemReserve(bdev, mem);
    }
}
